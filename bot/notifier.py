"""Delivers new cases to the operators' Telegram chat: at least once, seen once.

Runs as its own process (``python -m bot notifier``, started by the stack when
``OPERATORS_CHAT_ID`` and ``TELEGRAM_BOT_TOKEN`` are set). It reads the case stream in a consumer
group and acknowledges an entry only after Telegram accepted the message; entries left pending by
a crashed notifier are claimed again. A case already marked delivered is acknowledged without
sending, so a redelivery never shows operators the same case twice.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
from collections.abc import Awaitable, Callable

import redis

from bot.cases import GROUP, STREAM, Case, CaseStore, operators_language
from bot.i18n import t

log = logging.getLogger(__name__)

SendToOperators = Callable[[str], Awaitable[int]]  # text -> operator chat message id
CLAIM_IDLE_MS = 30_000  # a pending entry idle this long belonged to a notifier that died


def render_case(case: Case) -> str:
    """The operators' view of a case: only what the user agreed to share."""
    lines = [
        t(operators_language(), "operators.case_header", case_id=case.id),
        t(
            "en",
            "operators.case_details",
            language=case.language,
            country=case.country or "?",
            severity=case.severity,
            signals=", ".join(case.signals) or "-",
        ),
    ]
    if case.words:
        lines.append(
            t(
                operators_language(),
                "operators.case_words",
                words="\n".join(f"> {w}" for w in case.words),
            )
        )
    else:
        lines.append(t(operators_language(), "operators.case_no_words"))
    lines.append(t(operators_language(), "operators.case_howto", case_id=case.id))
    return "\n".join(lines)


class Notifier:
    def __init__(
        self, store: CaseStore, send: SendToOperators, consumer: str | None = None
    ) -> None:
        self.store = store
        self.send = send
        # A stable name per host: a restarted notifier picks up its own pending entries at once.
        self.consumer = consumer or os.environ.get("NOTIFIER_NAME") or socket.gethostname()
        try:
            store.redis.xgroup_create(STREAM, GROUP, id="0", mkstream=True)
        except redis.ResponseError as exc:  # BUSYGROUP: it exists already
            if "BUSYGROUP" not in str(exc):
                raise

    def _entries(self, block_ms: int) -> list[tuple[str, dict]]:
        # Own pending entries first (a restart of this consumer), then stale ones of others,
        # then new ones.
        entries: list[tuple[str, dict]] = []
        for _, items in self.store.redis.xreadgroup(GROUP, self.consumer, {STREAM: "0"}) or []:
            entries += items
        claimed = self.store.redis.xautoclaim(STREAM, GROUP, self.consumer, CLAIM_IDLE_MS, "0-0")
        entries += claimed[1] if claimed else []
        if not entries:
            for _, items in (
                self.store.redis.xreadgroup(
                    GROUP, self.consumer, {STREAM: ">"}, count=10, block=block_ms
                )
                or []
            ):
                entries += items
        return entries

    async def deliver(self, entry_id: str | bytes, fields: dict) -> None:
        raw = fields.get(b"case_id", fields.get("case_id"))
        case_id = raw.decode() if isinstance(raw, bytes) else str(raw)
        case = self.store.get(case_id)
        if case is not None and self.store.delivered_message_id(case_id) is None:
            message_id = await self.send(render_case(case))
            self.store.mark_delivered(case_id, message_id)
            log.info("case %s delivered to operators", case_id)
        self.store.redis.xack(STREAM, GROUP, entry_id)

    async def run_once(self, block_ms: int = 1000) -> int:
        """Deliver what is waiting; returns how many entries were delivered or skipped."""
        entries = await asyncio.to_thread(self._entries, block_ms)
        done = 0
        for entry_id, fields in entries:
            try:
                await self.deliver(entry_id, fields)
                done += 1
            except Exception as exc:  # noqa: BLE001 - the entry stays pending and is retried
                log.warning("case delivery failed, will retry: %s", type(exc).__name__)
                await asyncio.sleep(1)
        return done

    async def run_forever(self) -> None:
        while True:
            try:
                await self.run_once()
            except redis.RedisError as exc:
                log.warning("Redis error in the notifier, retrying: %s", type(exc).__name__)
                await asyncio.sleep(2)


def telegram_sender(token: str, chat_id: str, base_url: str | None = None) -> SendToOperators:
    from telegram import Bot

    # httpx logs every request URL at INFO, and Bot API URLs contain the token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    bot = Bot(token, base_url=base_url or "https://api.telegram.org/bot")
    started = asyncio.Event()

    async def send(text: str) -> int:
        if not started.is_set():
            await bot.initialize()
            started.set()
        message = await bot.send_message(chat_id=chat_id, text=text)
        return int(message.message_id)

    return send
