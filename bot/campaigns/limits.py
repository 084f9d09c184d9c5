"""Rate limits of the broadcaster: token buckets overall and per chat, from the environment."""

from __future__ import annotations

import asyncio
import os
import time
from collections import deque
from collections.abc import Callable

from bot import settings

TELEGRAM_RATE = 29.0  # messages per second overall (Telegram: about 30)
MESSENGER_RATE = 20.0
WINDOW_LIMIT, WINDOW = 30, 1.1  # never more than 30 sends leave within 1.1 s (jitter margin)
CHAT_INTERVAL = 1.05  # seconds between two messages to one chat (Telegram: one per second)


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
        self.chat_interval = chat_interval
        self.chat_rate = 1.0 / chat_interval
        self.chats: dict[str, TokenBucket] = {}
        self.chat_left: dict[str, float] = {}  # when each chat's last send actually left
        self.window, self.window_limit = window, window_limit
        self.left: deque[float] = deque(maxlen=window_limit)

    async def acquire(self, chat_id: str) -> None:
        if len(self.chats) > 10_000:  # forget chats whose bucket is full again
            self.chats = {k: b for k, b in self.chats.items() if not b.idle}
            now = time.monotonic()
            self.chat_left = {k: t for k, t in self.chat_left.items()
                              if now - t < self.chat_interval}
        bucket = self.chats.setdefault(chat_id, TokenBucket(self.chat_rate))
        await bucket.acquire()
        await self.overall.acquire()
        while True:  # check and record with no await in between: one slot per sender
            now = time.monotonic()
            # a chat's previous send may have left late (it waited for the overall bucket):
            # space this one from when that send actually left, not from its token
            last = self.chat_left.get(chat_id)
            if last is not None and now - last < self.chat_interval:
                await asyncio.sleep(self.chat_interval - (now - last))
                continue
            if len(self.left) < self.window_limit or now - self.left[0] >= self.window:
                self.left.append(now)
                self.chat_left[chat_id] = now
                return
            await asyncio.sleep(self.window - (now - self.left[0]))


# -- senders ---------------------------------------------------------------------------------------


def limits_from_env(env: dict[str, str] | None = None) -> dict[str, ChannelLimits]:
    env = dict(os.environ) if env is None else env
    telegram = settings.text("CAMPAIGN_TELEGRAM_RATE", env) or TELEGRAM_RATE
    messenger = settings.text("CAMPAIGN_MESSENGER_RATE", env) or MESSENGER_RATE
    return {
        "telegram": ChannelLimits(float(telegram)),
        "messenger": ChannelLimits(float(messenger)),
    }


# -- the broadcaster -------------------------------------------------------------------------------

# Take the lock if it is free or already ours (a restarted worker of the same name resumes at once).
