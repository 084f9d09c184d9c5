"""The Telegram Bot API: the one place that sends to Telegram and says what its errors mean.

The channel's replies, the operators' chat (notifier) and campaigns (broadcaster) all go through
here. :func:`error_meaning` classifies a failed call once for all of them:

- ``retry``: flood control (429, with Telegram's wait), a 5xx, or nothing reached Telegram;
- ``uncertain``: the request may have been processed but the answer was lost (a timeout);
- ``blocked``: the user blocked the bot, the chat is gone (never deliverable);
- ``failed``: Telegram refused the request as bad (markup, message to edit not found…).

:func:`call_or_raise` retries ``retry`` and ``uncertain`` (bounded: a reply twice beats a reply
lost) and raises :class:`~bot.channels.common.DeliveryFailed` otherwise; the broadcaster uses
:func:`error_meaning` directly and never resends an uncertain one.
"""

from __future__ import annotations

import asyncio
import datetime as dtm
import logging
import warnings
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import httpx
from telegram import Bot
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError, TimedOut
from telegram.request import HTTPXRequest

from bot.channels import TELEGRAM_DEFAULT_API
from bot.channels.common import DeliveryFailed

logger = logging.getLogger(__name__)
# PTB logs the API URL, which contains the token, at DEBUG: keep its records above that.
logging.getLogger("telegram").setLevel(logging.INFO)

MAX_ATTEMPTS = 4  # a send is tried at most this often (flood control, network errors)
MAX_RETRY_WAIT = 30.0  # seconds; a longer flood wait is not worth holding the reply for
GONE = ("chat not found", "user is deactivated", "bot was kicked", "bot was blocked")


@dataclass(frozen=True)
class Meaning:
    kind: str  # retry | uncertain | blocked | failed
    retry_after: float = 0.0
    reason: str = ""


def file_base_url(base_url: str) -> str:
    """Where files are downloaded: ``…/bot`` → ``…/file/bot`` (as api.telegram.org does)."""
    root = base_url.rstrip("/")
    return root[: -len("/bot")] + "/file/bot" if root.endswith("/bot") else root + "/file/bot"


def make_bot(token: str, base_url: str | None = None, connections: int = 8) -> Bot:
    """A Bot for ``token`` on ``base_url`` (the fake's in tests), ``connections`` at once."""
    base = base_url or TELEGRAM_DEFAULT_API
    request = HTTPXRequest(connection_pool_size=max(connections, 1), read_timeout=15.0)
    return Bot(token, base_url=base, base_file_url=file_base_url(base), request=request)


def seconds(value: int | float | dtm.timedelta) -> float:
    return value.total_seconds() if isinstance(value, dtm.timedelta) else float(value)


def error_meaning(exc: TelegramError) -> Meaning:
    """What a failed Bot API call means for whoever sent it (see the module docstring)."""
    if isinstance(exc, RetryAfter):
        with warnings.catch_warnings():  # PTB 22 deprecates the int form; either is fine
            warnings.simplefilter("ignore")
            return Meaning("retry", seconds(exc.retry_after), "429")
    if isinstance(exc, Forbidden):
        return Meaning("blocked", reason="403")
    if isinstance(exc, BadRequest):
        gone = any(words in str(exc).lower() for words in GONE)
        return Meaning("blocked" if gone else "failed", reason="400")
    if isinstance(exc, TimedOut):
        unsent = "not* sent" in str(exc) or isinstance(exc.__cause__, httpx.ConnectTimeout)
        return Meaning("retry" if unsent else "uncertain", 1.0, "timeout")
    if isinstance(exc, NetworkError):
        cause = exc.__cause__
        if cause is None or isinstance(cause, httpx.ConnectError):  # a 5xx, or nothing sent
            return Meaning("retry", 2.0, "network")
        return Meaning("uncertain", 1.0, type(cause).__name__)
    return Meaning("failed", reason=type(exc).__name__)


async def call_with_retries(
    call: Callable[[], Awaitable[Any]],
    what: str,
    sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
) -> Any:
    """Run a Bot API call; flood control (429) and network errors are retried, bounded.

    Returns None when the call is given up (user blocked the bot, bad request, still failing):
    a lost reply is logged by kind, never raised into Rasa.
    """
    try:
        return await call_or_raise(call, what, sleep)
    except DeliveryFailed:
        return None


async def call_or_raise(
    call: Callable[[], Awaitable[Any]],
    what: str,
    sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
    retry_uncertain: bool = True,
) -> Any:
    """:func:`call_with_retries` that raises DeliveryFailed when it gives up.

    ``blocked`` and ``failed`` (:func:`error_meaning`) are permanent: retrying the update would
    only run the actions again. Flood control and network errors are retried, and timeouts
    (``uncertain``) unless ``retry_uncertain`` is False (the caller has its own way to avoid a
    double, like the notifier's "sent again" mark).
    """
    for attempt in range(1, MAX_ATTEMPTS + 1):
        try:
            return await call()
        except TelegramError as exc:
            meaning = error_meaning(exc)
            if meaning.kind == "uncertain" and not retry_uncertain:
                raise DeliveryFailed(f"{what} uncertain") from None
            if meaning.kind in ("blocked", "failed"):  # blocked, chat gone, invalid markup…
                logger.warning("telegram: %s refused (%s)", what, type(exc).__name__)
                raise DeliveryFailed(f"{what} {type(exc).__name__}", permanent=True) from None
            wait = meaning.retry_after if meaning.reason == "429" else float(attempt)
            if wait > MAX_RETRY_WAIT or attempt == MAX_ATTEMPTS:
                logger.warning("telegram: %s given up (%s)", what, type(exc).__name__)
                raise DeliveryFailed(what) from None
            logger.info("telegram: %s failed (%s), retrying in %.0f s", what, meaning.reason, wait)
            await sleep(wait)
    raise DeliveryFailed(what)


def chat_sender(bot: Bot, chat_id: str) -> Callable[[str], Awaitable[int]]:
    """Send a text to one chat (the operators'), with retries; returns Telegram's message id."""

    async def send(text: str) -> int:
        sent = await call_or_raise(lambda: bot.send_message(chat_id=chat_id, text=text),
                                   "sendMessage", retry_uncertain=False)  # fmt: skip
        return int(sent.message_id)

    return send


def chat_editor(bot: Bot, chat_id: str) -> Callable[[int, str], Awaitable[None]]:
    """Edit a message of one chat; one already gone or already edited is fine."""

    async def edit(message_id: int, text: str) -> None:
        try:
            await call_or_raise(
                lambda: bot.edit_message_text(text=text, chat_id=chat_id, message_id=message_id),
                "editMessageText",
            )
        except DeliveryFailed as exc:
            if not exc.permanent:  # "message is not modified", "not found": nothing to do
                raise
            logger.info("telegram: a message was not edited (%s)", exc)

    return edit
