"""The campaign broadcaster (``python -m bot campaign run``): every subscriber once, within limits.

Limits. Telegram allows about 30 messages a second overall and one a second per chat; both are
token buckets here (defaults 29/s overall and one per 1.05 s per chat, a small margin for network
jitter), plus a sliding check that no more than 30 sends leave within 1.1 s whatever the event
loop's or the network's delays (measured locally: up to ~70 ms between leaving and arriving);
a 429 pauses the overall bucket for its ``retry_after`` and the message is retried.
Messenger forbids promotional messages more than 24 hours after the user last wrote: a Messenger
subscriber is sent the campaign only if casework's ``last_seen`` (recorded on every message) is
within 24 h, otherwise skipped and counted. A user who blocked the bot (Telegram 403, a gone chat;
Messenger error 551 or a 200-series "user unavailable") is unsubscribed.

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
import os
import signal
import socket
import time
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

import httpx
import redis
import redis.asyncio as aredis

from bot.campaigns import (
    DUE,
    MESSENGER_WINDOW,
    SUBSCRIBERS,
    Campaign,
    _sub_key,
    campaign_from_redis,
    campaign_record_exp,
    decode,
    last_seen_key,
    lock_key,
    recipients_key,
    run_key,
    split_member,
)
from bot.identity import ForeignId, channel_of, native_id

log = logging.getLogger(__name__)
# httpx logs request URLs at INFO, and Bot API URLs contain the token.
logging.getLogger("httpx").setLevel(logging.WARNING)
logging.getLogger("httpcore").setLevel(logging.WARNING)

TELEGRAM_RATE = 29.0  # messages per second overall (Telegram: about 30)
MESSENGER_RATE = 20.0
CHAT_INTERVAL = 1.05  # seconds between two messages to one chat (Telegram: one per second)
WINDOW_LIMIT, WINDOW = 30, 1.1  # never more than 30 sends leave within 1.1 s (jitter margin)
MAX_ATTEMPTS = 5
LOCK_MS = 15_000  # a run's lock outlives a dead worker by at most this


# -- rate limits -----------------------------------------------------------------------------------


class TokenBucket:
    """``rate`` tokens a second, at most ``capacity`` saved; each send takes one.

    :meth:`reserve` takes a token at once and says how long to wait for it (tokens may go
    negative), so concurrent senders get distinct, evenly spaced slots without a lock.
    """

    def __init__(
        self, rate: float, capacity: float = 1.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.rate, self.capacity, self.clock = rate, capacity, clock
        self.tokens = capacity
        self.updated = clock()

    def _refill(self) -> float:
        now = self.clock()
        self.tokens = min(self.capacity, self.tokens + (now - self.updated) * self.rate)
        self.updated = now
        return now

    def reserve(self) -> float:
        self._refill()
        self.tokens -= 1
        return 0.0 if self.tokens >= 0 else -self.tokens / self.rate

    def pause(self, seconds: float) -> None:
        """Flood control: no new token for ``seconds``."""
        self._refill()
        self.tokens = min(self.tokens, 0.0) - seconds * self.rate

    @property
    def idle(self) -> bool:
        self._refill()
        return self.tokens >= self.capacity

    async def acquire(self) -> None:
        delay = self.reserve()
        if delay > 0:
            await asyncio.sleep(delay)


class ChannelLimits:
    """One overall bucket plus one bucket per chat, for one channel, and a last check.

    The buckets space sends evenly, but a send that leaves late (a busy event loop, a new
    connection) followed by ones on time would bunch; so the moments sends actually leave are
    also kept, and a send waits while ``window_limit`` already left within ``window`` seconds.
    """

    def __init__(
        self,
        rate: float,
        chat_interval: float = CHAT_INTERVAL,
        window_limit: int = WINDOW_LIMIT,
        window: float = WINDOW,
    ) -> None:
        self.overall = TokenBucket(rate)
        self.chat_rate = 1.0 / chat_interval
        self.chats: dict[str, TokenBucket] = {}
        self.window, self.window_limit = window, window_limit
        self.left: deque[float] = deque(maxlen=window_limit)

    async def acquire(self, chat_id: str) -> None:
        if len(self.chats) > 10_000:  # forget chats whose bucket is full again
            self.chats = {k: b for k, b in self.chats.items() if not b.idle}
        bucket = self.chats.setdefault(chat_id, TokenBucket(self.chat_rate))
        await bucket.acquire()
        await self.overall.acquire()
        while True:  # check and record with no await in between: one slot per sender
            now = time.monotonic()
            if len(self.left) < self.window_limit or now - self.left[0] >= self.window:
                self.left.append(now)
                return
            await asyncio.sleep(self.window - (now - self.left[0]))


# -- senders ---------------------------------------------------------------------------------------


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
    token = (env.get("TELEGRAM_BOT_TOKEN") or "").strip()
    if token:
        base = env.get("TELEGRAM_API_BASE_URL") or TELEGRAM_DEFAULT_API
        senders["telegram"] = TelegramSender(token, base, concurrency)
    page_token = (env.get("MESSENGER_PAGE_TOKEN") or "").strip()
    if page_token:
        graph = env.get("MESSENGER_GRAPH_URL") or MESSENGER_DEFAULT_GRAPH
        senders["messenger"] = MessengerSender(page_token, graph, concurrency)
    return senders


def limits_from_env(env: dict[str, str] | None = None) -> dict[str, ChannelLimits]:
    env = dict(os.environ) if env is None else env
    return {
        "telegram": ChannelLimits(float(env.get("CAMPAIGN_TELEGRAM_RATE") or TELEGRAM_RATE)),
        "messenger": ChannelLimits(float(env.get("CAMPAIGN_MESSENGER_RATE") or MESSENGER_RATE)),
    }


# -- the broadcaster -------------------------------------------------------------------------------

# Take the lock if it is free or already ours (a restarted worker of the same name resumes at once).
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
        self.name = name or os.environ.get("CAMPAIGN_WORKER_NAME") or socket.gethostname()
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
        sub = decode(await self.redis.hgetall(_sub_key(channel, sender_id)))
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
        pipe.delete(_sub_key(channel, sender_id))
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
