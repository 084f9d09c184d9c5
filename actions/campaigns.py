"""Opting in to and out of safety alerts (awareness campaigns), on the channels that can push.

The subscription records channel, recipient id and language: all the broadcaster needs.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from typing import Any

import redis
from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.common import button, entity_value, menu_buttons, resolve_language, say
from actions.groups import in_group_chat, say_go_private
from bot.campaigns.subscriptions import PUSH_CHANNELS, subscribe, subscription, unsubscribe
from bot.i18n import N_
from bot.redis_server import target_from_env

logger = logging.getLogger(__name__)


@lru_cache(maxsize=1)
def subscriptions_client() -> redis.Redis:
    return target_from_env().client(socket_timeout=5)


def _channel(tracker: Tracker) -> str:
    return tracker.get_latest_input_channel() or "rest"


START, STOP = "start", "stop"  # values of the `alerts_choice` entity in button and command payloads


def alerts_button(language: str, choice: str) -> dict[str, str]:
    key = N_("alerts.start_button") if choice == START else N_("alerts.stop_button")
    return button(language, key, "alerts", alerts_choice=choice)


class ActionAlerts(Action):
    """Safety alerts: start or stop them, or, from free text, show the status and one button.

    Buttons and the Telegram commands carry an explicit choice and act at once. A free message
    ("alerts?", "send me warnings", "no more alerts") only shows where the user stands with a
    button to change it: an opt-in to push messages must be unambiguous, and "alerts" and "stop
    alerts" differ by one word that a statistical classifier can miss.
    """

    def name(self) -> str:
        return "action_alerts"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        language, events = resolve_language(tracker)
        channel, sender = _channel(tracker), tracker.sender_id
        choice = entity_value(tracker, "alerts_choice")
        if in_group_chat(tracker):  # one member's opt-in must not push alerts to a whole group
            say_go_private(dispatcher, tracker, language)
            return events
        if choice != STOP and channel not in PUSH_CHANNELS:  # web chat and REST cannot push
            say(dispatcher, language, "alerts.unavailable", buttons=menu_buttons(language))
            return events
        client = subscriptions_client()
        try:
            if choice == START:
                new = subscribe(channel, sender, language, client)
                key = N_("alerts.subscribed") if new else N_("alerts.already")
                buttons = [alerts_button(language, STOP)]
            elif choice == STOP:
                removed = unsubscribe(channel, sender, client)
                key = N_("alerts.unsubscribed") if removed else N_("alerts.not_subscribed")
                buttons = menu_buttons(language)
            elif subscription(channel, sender, client) is not None:
                key, buttons = N_("alerts.already"), [alerts_button(language, STOP)]
            else:
                key, buttons = N_("alerts.offer"), [alerts_button(language, START)]
        except redis.RedisError as exc:
            logger.warning("subscription not read or changed (%s)", type(exc).__name__)
            key, buttons = N_("alerts.failed"), []
        say(dispatcher, language, key, buttons=buttons)
        return events
