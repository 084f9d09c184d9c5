"""Who the broadcaster sends through: one sender per platform, built from the environment."""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from typing import Protocol

import httpx

from bot import settings
from bot.identity import ForeignId, channel_of, native_id

log = logging.getLogger(__name__)


@dataclass
class Outcome:
    kind: str  # sent, retry, blocked, outside_window, failed, uncertain
    message_id: str = ""
    retry_after: float = 0.0
    reason: str = ""


class Sender(Protocol):
    channel: str

    async def send(self, recipient_id: str, text: str) -> Outcome: ...

    async def close(self) -> None: ...


def platform_id(channel: str, recipient_id: str) -> str:
    """The platform's id of a subscriber: from its conversation id, or a bare id stored before
    ids carried their channel (only the push channels ever subscribed, so it is theirs)."""
    try:
        return native_id(channel, recipient_id)
    except ForeignId:
        if channel_of(recipient_id) is None and ":" not in recipient_id:
            return recipient_id
        raise


class TelegramSender:
    """Campaign messages through the one Telegram API module; its error meaning decides."""

    channel = "telegram"

    def __init__(self, token: str, base_url: str, concurrency: int = 8) -> None:
        from bot.channels.telegram.api import make_bot

        self.bot = make_bot(token, base_url, connections=concurrency)

    async def send(self, recipient_id: str, text: str) -> Outcome:
        from telegram.error import TelegramError

        from bot.channels.telegram.api import error_meaning

        chat_id = platform_id(self.channel, recipient_id)
        try:
            sent = await self.bot.send_message(chat_id=chat_id, text=text)
        except TelegramError as exc:  # retry, uncertain (never resent), blocked or failed
            meaning = error_meaning(exc)
            return Outcome(meaning.kind, retry_after=meaning.retry_after, reason=meaning.reason)
        return Outcome("sent", message_id=str(sent.message_id))

    async def close(self) -> None:
        await self.bot.request.shutdown()


class MessengerSender:
    """Campaign messages through the one Send API module; its error meaning decides."""

    channel = "messenger"

    def __init__(self, page_token: str, graph_url: str, concurrency: int = 8) -> None:
        from bot.channels.messenger.api import SendApi

        self.api = SendApi(page_token, graph_url, connections=concurrency)

    async def send(self, recipient_id: str, text: str) -> Outcome:
        from bot.channels.messenger.api import error_meaning

        body = {
            "recipient": {"id": platform_id(self.channel, recipient_id)},
            "messaging_type": "UPDATE",  # proactive, allowed within the 24-hour window
            "message": {"text": text},
        }
        try:
            reply = await self.api.post_once(body)
        except httpx.ConnectError:  # nothing reached the API: safe to retry
            return Outcome("retry", retry_after=1.0, reason="connect")
        except httpx.HTTPError as exc:  # sent, maybe processed, answer lost: do not resend
            return Outcome("uncertain", reason=type(exc).__name__)
        meaning = error_meaning(reply)
        kind = "failed" if meaning.kind == "token" else meaning.kind  # an operator must fix it
        return Outcome(kind, meaning.message_id, meaning.retry_after, meaning.reason)

    async def close(self) -> None:
        await self.api.close()


def senders_from_env(concurrency: int, env: dict[str, str] | None = None) -> dict[str, Sender]:
    """A sender for every channel whose token is set."""
    from bot.channels import MESSENGER_DEFAULT_GRAPH, TELEGRAM_DEFAULT_API

    env = dict(os.environ) if env is None else env
    senders: dict[str, Sender] = {}
    token = settings.text("TELEGRAM_BOT_TOKEN", env)
    if token:
        base = settings.text("TELEGRAM_API_BASE_URL", env) or TELEGRAM_DEFAULT_API
        senders["telegram"] = TelegramSender(token, base, concurrency)
    page_token = settings.text("MESSENGER_PAGE_TOKEN", env)
    if page_token:
        graph = settings.text("MESSENGER_GRAPH_URL", env) or MESSENGER_DEFAULT_GRAPH
        senders["messenger"] = MessengerSender(page_token, graph, concurrency)
    return senders
