"""Durable intake: a webhook update is stored in Redis before the platform gets its 200.

- :meth:`Intake.store` writes the update to the stream ``safejobs:intake:<channel>`` and marks
  its id (Telegram ``update_id``, Messenger ``mid``) seen for ``INTAKE_DEDUP_SECONDS`` (24 h),
  atomically (one Lua script): a platform's resend of an update already stored is not stored
  again. When Redis cannot take it, the webhook answers 503 and the platform keeps the update.
- :class:`IntakeConsumer` reads the stream in the consumer group ``rasa`` and hands each entry
  to the channel; the entry is acknowledged and deleted (it holds the person's words) only after
  the channel reports that the answer went out. An entry that was not answered (Rasa or the
  action server down, the process killed) stays pending and is tried again with backoff, also
  after a restart (the consumer name is stable per host). An entry already answered (``done``
  key, 24 h) is acknowledged without being answered twice. An entry whose answer can never be
  delivered (:class:`~bot.channels.common.DeliveryFailed` ``permanent``: the user blocked the
  bot, the chat is gone) is acknowledged at once rather than run through Rasa again.
- After ``INTAKE_MAX_ATTEMPTS`` tries (counted in Redis before each try, so tries that killed
  the process count too, across restarts) an entry is moved to ``…:failed`` and logged, so one
  poisoned update never blocks the rest. Each set-aside entry is removed once it is
  ``INTAKE_FAILED_SECONDS`` old (trimmed by id, i.e. by age, on each add and every minute; at
  most ``INTAKE_FAILED_MAXLEN`` kept), and erasing a user's data deletes theirs.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import time
from collections.abc import Awaitable, Callable
from functools import cached_property
from typing import Any

import redis

from bot.cases import PREFIX, failed_intake_stream, intake_stream
from bot.channels.common import BackgroundWorker, DeliveryFailed, StackDown

logger = logging.getLogger(__name__)

GROUP = "rasa"
DEDUP_SECONDS = int(os.environ.get("INTAKE_DEDUP_SECONDS", str(24 * 3600)))
MAX_ATTEMPTS = int(os.environ.get("INTAKE_MAX_ATTEMPTS", "30"))
FAILED_SECONDS = int(os.environ.get("INTAKE_FAILED_SECONDS", str(7 * 24 * 3600)))
FAILED_MAXLEN = int(os.environ.get("INTAKE_FAILED_MAXLEN", "1000"))
TRIM_EVERY = 60.0  # seconds between trims of the failed stream by age
RETRY_FIRST = 2.0
RETRY_MAX = 30.0
CLAIM_IDLE_MS = 120_000  # an entry idle this long belonged to a consumer that is gone

# KEYS: seen key, stream. ARGV: seen ttl, key, lane, body. Returns the entry id, or false.
_STORE = """
if redis.call('SET', KEYS[1], '1', 'NX', 'EX', ARGV[1]) then
  return redis.call('XADD', KEYS[2], '*', 'key', ARGV[2], 'lane', ARGV[3], 'body', ARGV[4])
end
return false
"""

Handler = Callable[[str], Awaitable[bool]]  # body -> True once the answer went out


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


class Intake:
    """The Redis side of one channel's intake."""

    def __init__(self, channel: str, client: redis.Redis | None = None) -> None:
        self.channel = channel
        self.stream = intake_stream(channel)
        self.failed_stream = failed_intake_stream(channel)
        self.attempts_key = f"{self.stream}:attempts"  # entry id -> tries, across restarts
        self.consumer = os.environ.get("INTAKE_CONSUMER") or f"{socket.gethostname()}:{channel}"
        self._client = client
        self._group_ready = False

    @cached_property
    def redis(self) -> redis.Redis:
        if self._client is not None:
            return self._client
        from bot.redis_server import target_from_env

        return target_from_env().client(socket_timeout=5, socket_connect_timeout=2)

    def _seen_key(self, key: str) -> str:
        return f"{PREFIX}:seen:{self.channel}:{key}"

    def _done_key(self, key: str) -> str:
        return f"{PREFIX}:done:{self.channel}:{key}"

    def ensure_group(self) -> None:
        if self._group_ready:
            return
        try:
            self.redis.xgroup_create(self.stream, GROUP, id="0", mkstream=True)
        except redis.ResponseError as exc:
            if "BUSYGROUP" not in str(exc):
                raise
        self._group_ready = True

    def forget_group(self) -> None:
        """Check the group again on the next call (Redis may have come back without it)."""
        self._group_ready = False

    def store(self, key: str, lane: str, body: str) -> bool:
        """Store one update; False when it was stored before (a resend). Raises RedisError."""
        self.ensure_group()
        entry = self.redis.eval(
            _STORE, 2, self._seen_key(key), self.stream, DEDUP_SECONDS, key, lane, body
        )
        return bool(entry)

    def read(self, block_ms: int) -> list[tuple[str, dict[str, str]]]:
        """This consumer's pending entries, stale ones of others, and new ones (all three)."""
        self.ensure_group()
        entries: list[tuple[str, dict[str, str]]] = []
        for _, items in self.redis.xreadgroup(GROUP, self.consumer, {self.stream: "0"}) or []:
            entries += [(_text(i), {_text(k): _text(v) for k, v in f.items()}) for i, f in items]
        claimed = self.redis.xautoclaim(self.stream, GROUP, self.consumer, CLAIM_IDLE_MS, "0-0")
        for item in claimed[1] if claimed else []:
            if item and item[1]:
                fields = {_text(k): _text(v) for k, v in item[1].items()}
                entries.append((_text(item[0]), fields))
        block = None if entries else block_ms
        new = self.redis.xreadgroup(GROUP, self.consumer, {self.stream: ">"}, count=50, block=block)
        for _, items in new or []:
            entries += [(_text(i), {_text(k): _text(v) for k, v in f.items()}) for i, f in items]
        return entries

    def count_attempt(self, entry_id: str) -> int:
        """Count one more try of the entry, before it runs (so a crash counts too); returns it."""
        pipe = self.redis.pipeline(transaction=True)
        pipe.hincrby(self.attempts_key, entry_id, 1)
        pipe.expire(self.attempts_key, FAILED_SECONDS)  # entry ids only; a stray field expires
        return int(pipe.execute()[0])

    def uncount_attempt(self, entry_id: str) -> None:
        """The try did not happen (the stack was down): it does not count against the entry."""
        self.redis.hincrby(self.attempts_key, entry_id, -1)

    def already_done(self, key: str) -> bool:
        return bool(self.redis.exists(self._done_key(key)))

    def finish(self, entry_id: str, key: str) -> None:
        """The answer went out: remember it (24 h), acknowledge and delete the entry."""
        pipe = self.redis.pipeline(transaction=True)
        pipe.set(self._done_key(key), "1", ex=DEDUP_SECONDS)
        pipe.xack(self.stream, GROUP, entry_id)
        pipe.xdel(self.stream, entry_id)
        pipe.hdel(self.attempts_key, entry_id)
        pipe.execute()

    def set_aside(self, entry_id: str, fields: dict[str, str]) -> None:
        """Move the entry to the failed stream (bounded in length, each entry by its own age)."""
        pipe = self.redis.pipeline(transaction=True)
        pipe.xadd(self.failed_stream, fields, maxlen=FAILED_MAXLEN, approximate=False)
        pipe.xtrim(self.failed_stream, minid=self._oldest_kept(), approximate=False)
        pipe.expire(self.failed_stream, FAILED_SECONDS)  # nothing added for that long: all old
        pipe.xack(self.stream, GROUP, entry_id)
        pipe.xdel(self.stream, entry_id)
        pipe.hdel(self.attempts_key, entry_id)
        pipe.execute()

    @staticmethod
    def _oldest_kept() -> str:
        """Entry ids start with their time in ms: anything before this is past retention."""
        return str(int((time.time() - FAILED_SECONDS) * 1000))

    def trim_failed(self) -> int:
        """Drop set-aside entries older than ``INTAKE_FAILED_SECONDS``; returns how many."""
        oldest = self._oldest_kept()
        return int(self.redis.xtrim(self.failed_stream, minid=oldest, approximate=False))

    def backlog(self) -> int:
        return int(self.redis.xlen(self.stream))


class IntakeConsumer:
    """Runs the stored updates of one channel through ``handle``, in order per lane."""

    def __init__(self, intake: Intake, worker: BackgroundWorker, handle: Handler) -> None:
        self.intake = intake
        self.worker = worker
        self.handle = handle
        self.in_flight: set[str] = set()
        self.retry_at: dict[str, float] = {}
        self.trimmed_at = -TRIM_EVERY

    async def run_once(self, block_ms: int = 1000) -> int:
        """Read what is waiting and submit what is due; returns how many were submitted."""
        entries = await asyncio.to_thread(self.intake.read, block_ms)
        now = time.monotonic()
        if now - self.trimmed_at >= TRIM_EVERY:
            self.trimmed_at = now
            await asyncio.to_thread(self.intake.trim_failed)
        submitted = 0
        for entry_id, fields in entries:
            if entry_id in self.in_flight or self.retry_at.get(entry_id, 0) > now:
                continue
            self.in_flight.add(entry_id)
            lane = fields.get("lane") or entry_id
            if self.worker.submit(lane, self._process(entry_id, fields)):
                submitted += 1
            else:
                self.in_flight.discard(entry_id)
        if not submitted and entries:
            await asyncio.sleep(0.5)  # everything waits for a retry: do not spin
        return submitted

    async def _process(self, entry_id: str, fields: dict[str, str]) -> None:
        key = fields.get("key", entry_id)
        logger.debug("%s intake: processing an update", self.intake.channel)
        tries = 0
        try:
            if await asyncio.to_thread(self.intake.already_done, key):
                await self._finish(entry_id, key)
                return
            tries = await asyncio.to_thread(self.intake.count_attempt, entry_id)
            if tries > MAX_ATTEMPTS:  # the earlier tries killed the process (counted, not ended)
                await self._set_aside(entry_id, fields, tries - 1, "the process died")
                return
            answered = await self.handle(fields.get("body", ""))
            if answered:
                await self._finish(entry_id, key)
                return
            await self._retry_later(entry_id, fields, tries, "not answered yet")
        except StackDown:
            await asyncio.to_thread(self.intake.uncount_attempt, entry_id)
            self.retry_at[entry_id] = time.monotonic() + RETRY_FIRST  # back soon after the stack
        except DeliveryFailed as exc:
            if not exc.permanent:
                await self._retry_later(entry_id, fields, tries, type(exc).__name__)
                return
            # Never deliverable (blocked, chat gone): running Rasa again would only repeat the
            # actions (another case, the same hotlines). The kind only: no ids, no text.
            logger.error("%s intake: an answer cannot be delivered (%s); update acknowledged",
                         self.intake.channel, exc)  # fmt: skip
            await self._finish(entry_id, key)
        except Exception as exc:  # noqa: BLE001 - the entry stays pending and is tried again
            await self._retry_later(entry_id, fields, tries, type(exc).__name__)
        finally:
            self.in_flight.discard(entry_id)

    async def _finish(self, entry_id: str, key: str) -> None:
        await asyncio.to_thread(self.intake.finish, entry_id, key)
        self.retry_at.pop(entry_id, None)

    async def _set_aside(self, entry_id: str, fields: dict[str, str], tries: int, why: str) -> None:
        logger.error("%s intake: an update failed %d times (%s); set aside",
                     self.intake.channel, tries, why)  # fmt: skip
        try:
            await asyncio.to_thread(self.intake.set_aside, entry_id, fields)
            self.retry_at.pop(entry_id, None)
        except redis.RedisError:
            pass

    async def _retry_later(
        self, entry_id: str, fields: dict[str, str], tries: int, why: str
    ) -> None:
        """``tries`` counts this one (0: Redis failed before it was counted)."""
        if tries >= MAX_ATTEMPTS:
            await self._set_aside(entry_id, fields, tries, why)
            return
        wait = min(RETRY_FIRST * 2 ** (max(tries, 1) - 1), RETRY_MAX)
        self.retry_at[entry_id] = time.monotonic() + wait
        logger.warning("%s intake: an update will be tried again in %.0f s (%s)",
                       self.intake.channel, wait, why)  # fmt: skip

    async def run_forever(self) -> None:
        logger.info("%s intake: consumer %s started", self.intake.channel, self.intake.consumer)
        while True:
            try:
                await self.run_once()
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001 - Redis down: wait for it to come back
                logger.warning("%s intake: cannot read (%s)", self.intake.channel,
                               type(exc).__name__)  # fmt: skip
                self.intake.forget_group()
                await asyncio.sleep(1.0)
