"""Delivers new cases to the operators' Telegram chat: at least once, seen once.

Runs as its own process (``python -m bot notifier``, started by the stack when
``OPERATORS_CHAT_ID`` and ``TELEGRAM_BOT_TOKEN`` are set). It reads the case stream in a consumer
group and acknowledges an entry only after Telegram accepted the message; entries left pending by
a crashed notifier are claimed again. A case already marked delivered is acknowledged without
sending, so a redelivery never shows operators the same case twice.

- New entries are read on every round, whatever is still pending: a failing entry waits for its
  next try (backoff) without holding up the others, and after ``NOTIFIER_MAX_ATTEMPTS`` tries it
  is set aside (``safejobs:cases:set-aside``) with an alert in the operators' chat.
- A card longer than Telegram's 4,096 characters is sent in parts, each marked "part i of n";
  the parts already posted are recorded, so a crash resumes at the next part.
- Telegram has no idempotency key: a crash after Telegram took a part but before it was
  recorded (the HTTP answer in flight) cannot be told from one before. That part is posted
  again, marked "sent again after an interruption", rather than risk losing a case.
- Erasures (``safejobs:erasures``) are carried out here: the user's cards are edited to "erased
  by the user".
- Several notifiers may run (one per host or pod; ``NOTIFIER_NAME`` distinct if they share a
  host). Each case is sent under a claim (``safejobs:cases:claim:<id>``, a Redis lock that expires
  after ``CLAIM_TTL_S``): a copy that finds a case claimed leaves the entry pending and looks
  again later, so an entry taken over from a slow (not dead) notifier is not sent twice. The
  claim holds the copy's name: a copy restarted under its name (its old process is dead) takes
  its own claim back at once instead of waiting for it to expire.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import socket
import time
from collections.abc import Awaitable, Callable

import redis

from bot.cases import (
    ERASURES,
    GROUP,
    SET_ASIDE,
    STREAM,
    STREAM_MAXLEN,
    Case,
    CaseStore,
    case_record_exp,
    operators_language,
)
from bot.i18n import t

log = logging.getLogger(__name__)

SendToOperators = Callable[[str], Awaitable[int]]  # text -> operator chat message id
EditOperatorMessage = Callable[[int, str], Awaitable[None]]  # message id, new text
CLAIM_IDLE_MS = 30_000  # a pending entry idle this long belonged to a notifier that died
TEXT_LIMIT = 4096  # Telegram's sendMessage limit, in UTF-16 code units
PART_NOTE_ROOM = 120  # room kept in each part for "(case X, part i of n)"
RETRY_FIRST = 2.0
RETRY_MAX = 60.0
ATTEMPTS = "safejobs:cases:attempts"  # entry id -> failed tries (survives a restart)
CLAIM_TTL_S = 120  # a case's claim outlives a send (Telegram timeouts are ~30 s) by a margin
CLAIMED_RETRY_S = 2.0  # a case another copy is sending: look again after this
#: Take a case's claim when it is free or already ours (we were restarted under our name).
CLAIM_SCRIPT = """
local holder = redis.call('GET', KEYS[1])
if holder and holder ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
return 1
"""
RELEASE_SCRIPT = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""


def max_attempts() -> int:
    return int(os.environ.get("NOTIFIER_MAX_ATTEMPTS", "5"))


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


def card_parts(case: Case) -> list[str]:
    """The card as messages within Telegram's limit; several parts are numbered."""
    card = render_case(case)
    if len(card.encode("utf-16-le")) // 2 <= TEXT_LIMIT:
        return [card]
    from bot.channels.common import split_text, utf16_len

    parts = split_text(card, TEXT_LIMIT - PART_NOTE_ROOM, utf16_len)
    language, count = operators_language(), len(parts)
    return [
        part + "\n" + t(language, "operators.case_part", case_id=case.id, part=i, parts=count)
        for i, part in enumerate(parts, 1)
    ]


class Notifier:
    def __init__(
        self,
        store: CaseStore,
        send: SendToOperators,
        consumer: str | None = None,
        edit: EditOperatorMessage | None = None,
    ) -> None:
        self.store = store
        self.send = send
        self.edit = edit
        # A stable name per host: a restarted notifier picks up its own pending entries at once.
        self.consumer = consumer or os.environ.get("NOTIFIER_NAME") or socket.gethostname()
        self.retry_at: dict[str, float] = {}
        for stream in (STREAM, ERASURES):
            try:
                store.redis.xgroup_create(stream, GROUP, id="0", mkstream=True)
            except redis.ResponseError as exc:  # BUSYGROUP: it exists already
                if "BUSYGROUP" not in str(exc):
                    raise

    def _read(self, stream: str, block_ms: int) -> list[tuple[str, str, dict]]:
        """Own pending entries that are due, stale ones of others, and always new ones."""
        r = self.store.redis
        found: list[tuple[str, str, dict]] = []
        for _, items in r.xreadgroup(GROUP, self.consumer, {stream: "0"}) or []:
            found += [(stream, _text(i), f) for i, f in items]
        claimed = r.xautoclaim(stream, GROUP, self.consumer, CLAIM_IDLE_MS, "0-0")
        found += [(stream, _text(i), f) for i, f in (claimed[1] if claimed else []) if f]
        now = time.monotonic()
        due = [e for e in found if self.retry_at.get(e[1], 0) <= now]
        block = None if due or block_ms <= 0 else block_ms
        for _, items in r.xreadgroup(GROUP, self.consumer, {stream: ">"}, count=10,
                                     block=block) or []:  # fmt: skip
            due += [(stream, _text(i), f) for i, f in items]
        return due

    def _entries(self, block_ms: int) -> list[tuple[str, str, dict]]:
        erasures = self._read(ERASURES, 0)
        return self._read(STREAM, 0 if erasures else block_ms) + erasures

    async def deliver(self, entry_id: str | bytes, fields: dict) -> bool:
        """Send the case unless another copy is sending it now (then False, entry kept)."""
        case_id = _field(fields, "case_id")
        key = f"{STREAM}:claim:{case_id}"
        r = self.store.redis
        if not r.eval(CLAIM_SCRIPT, 1, key, self.consumer, CLAIM_TTL_S):
            return False
        try:
            await self._deliver(entry_id, case_id)
        finally:
            r.eval(RELEASE_SCRIPT, 1, key, self.consumer)  # only our own claim
        return True

    async def _deliver(self, entry_id: str | bytes, case_id: str) -> None:
        case = self.store.get(case_id)
        if case is not None and self.store.delivered_message_id(case_id) is None:
            posted, in_flight = self.store.delivery_progress(case_id)
            parts = card_parts(case)
            for number, text in enumerate(parts[len(posted):], len(posted)):
                if in_flight and number == len(posted):
                    text += "\n" + t(operators_language(), "operators.case_resent", case_id=case_id)
                await asyncio.to_thread(self.store.mark_sending, case_id)
                posted.append(await self.send(text))
                await asyncio.to_thread(self.store.mark_part, case_id, posted)
            self.store.mark_delivered(case_id, posted[0])
            log.info("case %s delivered to operators", case_id)
        self.store.redis.xack(STREAM, GROUP, entry_id)

    async def erase_cards(self, entry_id: str, fields: dict) -> None:
        case_id = _field(fields, "case_id")
        if self.edit is not None:
            text = t(operators_language(), "operators.case_erased", case_id=case_id)
            for message_id in json.loads(_field(fields, "message_ids") or "[]"):
                await self.edit(int(message_id), text)
        self.store.redis.xack(ERASURES, GROUP, entry_id)
        self.store.redis.xdel(ERASURES, entry_id)

    async def _failed(self, stream: str, entry_id: str, fields: dict, exc: Exception) -> None:
        reason = type(exc).__name__
        tries = int(self.store.redis.hincrby(ATTEMPTS, entry_id, 1))
        if tries < max_attempts():
            wait = min(RETRY_FIRST * 2 ** (tries - 1), RETRY_MAX)
            self.retry_at[entry_id] = time.monotonic() + wait
            log.warning("operators' chat: delivery failed (%s), try %d, again in %.0f s",
                        reason, tries, wait)  # fmt: skip
            return
        case_id = _field(fields, "case_id")
        log.error("case %s set aside after %d failed deliveries (%s)", case_id, tries, reason)
        pipe = self.store.redis.pipeline(transaction=True)
        pipe.xadd(SET_ASIDE, {"stream": stream, "case_id": case_id, "reason": reason},
                  maxlen=STREAM_MAXLEN, approximate=True)  # fmt: skip
        pipe.expire(SET_ASIDE, case_record_exp())
        pipe.xack(stream, GROUP, entry_id)
        pipe.hdel(ATTEMPTS, entry_id)
        pipe.execute()
        self.retry_at.pop(entry_id, None)
        if stream == STREAM:
            alert = t(operators_language(), "operators.case_set_aside",
                      case_id=case_id, tries=tries, reason=reason)  # fmt: skip
            try:
                await self.send(alert)
            except Exception as alert_exc:  # noqa: BLE001 - the log line above remains
                log.error("could not alert the operators (%s)", type(alert_exc).__name__)

    async def run_once(self, block_ms: int = 1000) -> int:
        """Deliver what is waiting; returns how many entries were delivered or skipped."""
        entries = await asyncio.to_thread(self._entries, block_ms)
        done = 0
        for stream, entry_id, fields in entries:
            try:
                if stream == ERASURES:
                    await self.erase_cards(entry_id, fields)
                elif not await self.deliver(entry_id, fields):
                    self.retry_at[entry_id] = time.monotonic() + CLAIMED_RETRY_S
                    continue
                self.retry_at.pop(entry_id, None)
                self.store.redis.hdel(ATTEMPTS, entry_id)
                done += 1
            except redis.RedisError:
                raise
            except Exception as exc:  # noqa: BLE001 - the entry stays pending and is retried
                await self._failed(stream, entry_id, fields, exc)
        if entries and not done:
            await asyncio.sleep(0.5)
        return done

    async def run_forever(self) -> None:
        while True:
            try:
                await self.run_once()
            except redis.RedisError as exc:
                log.warning("Redis error in the notifier, retrying: %s", type(exc).__name__)
                await asyncio.sleep(2)


def _text(value: str | bytes) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


def _field(fields: dict, name: str) -> str:
    raw = fields.get(name.encode(), fields.get(name))
    return _text(raw) if raw is not None else ""


def telegram_sender(token: str, chat_id: str, base_url: str | None = None) -> SendToOperators:
    """Posts to the operators' chat through the one Telegram API module (retries included)."""
    from bot.channels.telegram.api import chat_sender, make_bot

    return chat_sender(make_bot(token, base_url), chat_id)


def telegram_editor(token: str, chat_id: str, base_url: str | None = None) -> EditOperatorMessage:
    """Edit a message of the operators' chat; one already gone or already edited is fine."""
    from bot.channels.telegram.api import chat_editor, make_bot

    return chat_editor(make_bot(token, base_url), chat_id)
