"""Opting in to and out of safety alerts (awareness campaigns), on the channels that can push."""

from __future__ import annotations

import logging
from functools import lru_cache
from typing import Any

import redis
from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.common import button, menu_buttons, resolve_language, say
from bot.campaigns import PUSH_CHANNELS, subscribe, unsubscribe
from bot.redis_server import target_from_env

logger = logging.getLogger(__name__)


@lru_cache(maxsize=1)
def subscriptions_client() -> redis.Redis:
    return target_from_env().client(socket_timeout=5)


def _channel(tracker: Tracker) -> str:
    return tracker.get_latest_input_channel() or "rest"


class ActionSubscribe(Action):
    """Records channel, recipient id and language: all the broadcaster needs, nothing more."""

    def name(self) -> str:
        return "action_subscribe"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        language, events = resolve_language(tracker)
        channel = _channel(tracker)
        if channel not in PUSH_CHANNELS:  # the web chat and REST cannot be written to first
            say(dispatcher, language, "alerts.unavailable", buttons=menu_buttons(language))
            return events
        try:
            new = subscribe(channel, tracker.sender_id, language, subscriptions_client())
        except redis.RedisError as exc:
            logger.warning("subscription not stored (%s)", type(exc).__name__)
            say(dispatcher, language, "alerts.failed")
            return events
        stop = [button(language, "alerts.stop_button", "unsubscribe")]
        if new:  # literal keys, one per call, so that `make extract-messages` finds them
            say(dispatcher, language, "alerts.subscribed", buttons=stop)
        else:
            say(dispatcher, language, "alerts.already", buttons=stop)
        return events


class ActionUnsubscribe(Action):
    def name(self) -> str:
        return "action_unsubscribe"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        language, events = resolve_language(tracker)
        try:
            removed = unsubscribe(_channel(tracker), tracker.sender_id, subscriptions_client())
        except redis.RedisError as exc:
            logger.warning("subscription not removed (%s)", type(exc).__name__)
            say(dispatcher, language, "alerts.failed")
            return events
        if removed:
            say(dispatcher, language, "alerts.unsubscribed", buttons=menu_buttons(language))
        else:
            say(dispatcher, language, "alerts.not_subscribed", buttons=menu_buttons(language))
        return events
