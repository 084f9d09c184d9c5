"""Rate limits of the web chat: per conversation and per address, counted per minute.

Counts live in this process (the web chat server is one process); a restart forgets them, which
only lets a sender start afresh. The table is bounded: windows that ended are dropped when it
grows. A limit of 0 turns that limit off.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from bot import settings

DEFAULT_PER_CONVERSATION = 20
DEFAULT_PER_ADDRESS = 60
WINDOW_SECONDS = 60.0
MAX_KEYS = 100_000


def limit_from_env(name: str, default: int) -> int:
    """A per-minute limit from the environment (a bad value falls back to the default)."""
    try:
        value = int(settings.text(name) or default)
    except ValueError:
        return default
    return max(0, value)


class RateLimiter:
    """Fixed one-minute windows per key: :meth:`hit` counts and says whether it is within."""

    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.per_minute = per_minute
        self.clock = clock
        self._windows: dict[str, tuple[float, int]] = {}

    def hit(self, key: str) -> bool:
        """Count one message for ``key``; False when it is over the limit in this window."""
        if self.per_minute <= 0:
            return True
        now = self.clock()
        start, count = self._windows.get(key, (now, 0))
        if now - start >= WINDOW_SECONDS:
            start, count = now, 0
        self._windows[key] = (start, count + 1)
        if len(self._windows) > MAX_KEYS:
            self._forget_ended(now)
        return count + 1 <= self.per_minute

    def _forget_ended(self, now: float) -> None:
        ended = [k for k, (start, _) in self._windows.items() if now - start >= WINDOW_SECONDS]
        for key in ended:
            del self._windows[key]
        while len(self._windows) > MAX_KEYS:  # all still open: drop the oldest
            del self._windows[next(iter(self._windows))]
