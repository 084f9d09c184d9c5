"""The campaign broadcaster (``python -m bot campaign run``): every subscriber once, within limits.

Limits (:mod:`bot.campaigns.limits`; the senders are :mod:`bot.campaigns.senders`). Telegram allows
about 30 messages a second overall and one a second per chat; both are token buckets (defaults 29/s
overall and one per 1.05 s per chat, a small margin for network jitter), plus a sliding check that
no more than 30 sends leave within 1.1 s whatever the event loop's or the network's delays
(measured locally: up to ~70 ms between leaving and arriving); a 429 pauses the overall bucket for
its ``retry_after`` and the message is retried. Messenger forbids promotional messages more than 24
hours after the user last wrote: a Messenger subscriber is sent the campaign only if casework's
``last_seen`` (recorded on every message) is within 24 h, otherwise skipped and counted. A user who
blocked the bot (Telegram 403, a gone chat; Messenger error 551 or a 200-series "user unavailable")
is unsubscribed.

Exactly once, as far as a remote API allows. The field ``<channel>:<id>`` of the run's recipients
hash is claimed with HSETNX ("sending") just before the HTTP request, after the rate limiters'
wait, and overwritten with "sent" (and the message id) right after the API's 200. A resumed run
(after a crash, or on another worker) skips every recipient with a mark, so nobody is sent the
campaign twice. The residual risk is the in-flight window: a crash between the claim and the
API's answer leaves "sending", which a resume treats as possibly delivered and skips (counted as
"uncertain" in ``campaign status``). The claim is taken after the rate limiters' wait, so only
requests that were leaving or in flight can be uncertain: at most ``CAMPAIGN_CONCURRENCY``
subscribers per crash (one with concurrency 1) may miss the campaign; none gets it twice.
Neither Bot API nor Send API can tell a bot whether an earlier request was delivered, so this is
the side we chose: a repeated promotional message annoys people who may need this bot later,
and gets it reported as spam.
A SIGTERM (the stack stopping) lets the requests in flight finish first, so only a hard kill or a
network timeout leaves uncertain marks.
"""

from __future__ import annotations

import asyncio
import json
import logging
import signal
import socket
import time
from collections import Counter
from collections.abc import Callable
from typing import Any

import redis
import redis.asyncio as aredis

from bot import settings
from bot.campaigns.limits import ChannelLimits, limits_from_env
from bot.campaigns.senders import Sender
from bot.campaigns.subscriptions import (
    DUE,
    MESSENGER_WINDOW,
    SUBSCRIBERS,
    Campaign,
    campaign_from_redis,
    campaign_record_exp,
    decode,
    last_seen_key,
    lock_key,
    recipients_key,
    run_key,
    split_member,
)
from bot.storage import sub_key

log = logging.getLogger(__name__)
# httpx logs request URLs at INFO, and Bot API URLs contain the token.
logging.getLogger("httpx").setLevel(logging.WARNING)
logging.getLogger("httpcore").setLevel(logging.WARNING)

MAX_ATTEMPTS = 5
LOCK_MS = 15_000  # a run's lock outlives a dead worker by at most this


_LOCK = """
local holder = redis.call('GET', KEYS[1])
if (not holder) or holder == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
return 0
"""
_UNLOCK = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""


def _mark(state: str, **extra: Any) -> str:
    return json.dumps({"s": state, "at": round(time.time(), 3), **extra}, ensure_ascii=False)


class Broadcaster:
    def __init__(
        self,
        client: aredis.Redis,
        senders: dict[str, Sender],
        limits: dict[str, ChannelLimits] | None = None,
        concurrency: int = 8,
        name: str | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.redis = client
        self.senders = senders
        self.limits = limits or limits_from_env()
        self.concurrency = max(concurrency, 1)
        self.name = name or settings.text("CAMPAIGN_WORKER_NAME") or socket.gethostname()
        self.clock = clock
        self.stopping = asyncio.Event()
        self.fallback: Counter[str] = Counter()  # per run: subscriber language → sent English

    # -- lock ----------------------------------------------------------------------------------
    async def _lock(self, campaign_id: str) -> bool:
        taken = await self.redis.eval(_LOCK, 1, lock_key(campaign_id), self.name, LOCK_MS)
        return bool(taken)

    async def _keep_lock(self, campaign_id: str) -> None:
        while True:
            await asyncio.sleep(LOCK_MS / 3000)
            try:
                await self._lock(campaign_id)
            except redis.RedisError as exc:
                log.warning("campaign lock not renewed (%s)", type(exc).__name__)

    # -- one recipient -------------------------------------------------------------------------
    async def _messenger_window_open(self, sender_id: str) -> bool:
        value = await self.redis.get(last_seen_key("messenger", sender_id))
        return value is not None and self.clock() - float(value) <= MESSENGER_WINDOW

    async def deliver(self, campaign: Campaign, member: str) -> str | None:
        """Send ``campaign`` to one subscriber unless their mark says otherwise; the new state."""
        recipients = recipients_key(campaign.id)
        channel, sender_id = split_member(member)
        sub = decode(await self.redis.hgetall(sub_key(channel, sender_id)))
        if not sub:
            return None  # unsubscribed since the run started
        language = sub.get("language") or "en"
        if not campaign.wants(language):
            return None
        sender = self.senders.get(channel)
        if sender is None:
            await self.redis.hsetnx(recipients, member, _mark("no_channel"))
            return "no_channel"
        if channel == "messenger" and not await self._messenger_window_open(sender_id):
            await self.redis.hsetnx(recipients, member, _mark("outside_window"))
            return "outside_window"
        text_language, text = campaign.text_for(language)
        limits = self.limits[channel]
        for attempt in range(1, MAX_ATTEMPTS + 1):
            await limits.acquire(sender_id)
            # Claimed only now, after the limiters' wait: a crash leaves "sending" only on
            # requests that were about to leave or had left.
            if attempt == 1 and not await self.redis.hsetnx(recipients, member, _mark("sending")):
                return None  # another run has it (or had it): never twice
            outcome = await sender.send(sender_id, text)
            if outcome.kind == "sent":
                mark = _mark("sent", l=language, tl=text_language, id=outcome.message_id)
                await self.redis.hset(recipients, member, mark)
                if text_language != language:
                    self.fallback[language] += 1
                return "sent"
            if outcome.kind == "retry":
                wait = outcome.retry_after
                log.info("campaign %s: %s flood wait %.1f s", campaign.id, channel, wait)
                limits.overall.pause(wait)
                continue
            if outcome.kind == "uncertain":
                log.warning("campaign %s: an answer was lost (%s)", campaign.id, outcome.reason)
                return "sending"  # the claim stays: maybe delivered, so never resent
            if outcome.kind == "blocked":
                await self.redis.hset(recipients, member, _mark("blocked", r=outcome.reason))
                await self._unsubscribe(channel, sender_id)
                return "blocked"
            await self.redis.hset(recipients, member, _mark(outcome.kind, r=outcome.reason))
            return outcome.kind
        await self.redis.hset(recipients, member, _mark("failed", r="retries"))
        return "failed"

    async def _unsubscribe(self, channel: str, sender_id: str) -> None:
        pipe = self.redis.pipeline(transaction=True)
        pipe.delete(sub_key(channel, sender_id))
        pipe.srem(SUBSCRIBERS, f"{channel}:{sender_id}")
        await pipe.execute()

    # -- one campaign --------------------------------------------------------------------------
    async def run_campaign(self, campaign_id: str) -> Counter[str] | None:
        """Send (or resume) one campaign; None when another worker holds it or it is stopped."""
        if not await self._lock(campaign_id):
            return None
        keeper = asyncio.create_task(self._keep_lock(campaign_id))
        try:
            return await self._run(campaign_id)
        finally:
            keeper.cancel()
            await self.redis.eval(_UNLOCK, 1, lock_key(campaign_id), self.name)

    async def _run(self, campaign_id: str) -> Counter[str] | None:
        data = decode(await self.redis.hgetall(run_key(campaign_id)))
        if not data or data.get("status") == "done":
            await self.redis.zrem(DUE, campaign_id)
            return None
        campaign = campaign_from_redis(data)
        started = {"status": "running"}
        if not data.get("started_at"):
            started["started_at"] = f"{self.clock():.3f}"
        else:
            log.info("campaign %s: resuming", campaign_id)
        await self.redis.hset(run_key(campaign_id), mapping=started)
        # Recipient records name channel:id: kept while the campaign may resume, then expire.
        await self.redis.expire(recipients_key(campaign_id), campaign_record_exp())
        subscribers = {m.decode() for m in await self.redis.smembers(SUBSCRIBERS)}
        marked = {m.decode() for m in await self.redis.hkeys(recipients_key(campaign_id))}
        queue: asyncio.Queue[str] = asyncio.Queue()
        for item in sorted(subscribers - marked):
            queue.put_nowait(item)
        results: Counter[str] = Counter()
        self.fallback: Counter[str] = Counter()

        async def work() -> None:
            while not queue.empty() and not self.stopping.is_set():
                item = queue.get_nowait()
                state = await self.deliver(campaign, item)
                if state:
                    results[state] += 1

        await asyncio.gather(*(work() for _ in range(self.concurrency)))
        for language, count in sorted(self.fallback.items()):
            log.info(
                "campaign %s has no text in %s: %d subscribers got English",
                campaign_id, language, count,
            )  # fmt: skip
        if self.stopping.is_set() and not queue.empty():
            log.info("campaign %s: stopped, will resume", campaign_id)
            return None
        pipe = self.redis.pipeline(transaction=True)
        pipe.hset(
            run_key(campaign_id), mapping={"status": "done", "finished_at": f"{self.clock():.3f}"}
        )
        pipe.zrem(DUE, campaign_id)
        pipe.expire(recipients_key(campaign_id), campaign_record_exp())
        await pipe.execute()
        log.info("campaign %s done: %s", campaign_id, dict(results))
        return results

    # -- the worker ----------------------------------------------------------------------------
    async def run_due(self) -> list[str]:
        due = await self.redis.zrangebyscore(DUE, "-inf", self.clock())
        done = []
        for raw in due:
            if self.stopping.is_set():
                break
            campaign_id = raw.decode() if isinstance(raw, bytes) else raw
            if await self.run_campaign(campaign_id) is not None:
                done.append(campaign_id)
        return done

    async def run_forever(self, poll: float = 2.0) -> None:
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            try:
                loop.add_signal_handler(sig, self.stopping.set)
            except (NotImplementedError, RuntimeError):  # not the main thread
                pass
        while not self.stopping.is_set():
            try:
                await self.run_due()
            except redis.RedisError as exc:
                log.warning("Redis error in the broadcaster, retrying: %s", type(exc).__name__)
            try:
                await asyncio.wait_for(self.stopping.wait(), timeout=poll)
            except asyncio.TimeoutError:
                pass

    async def close(self) -> None:
        for sender in self.senders.values():
            await sender.close()
