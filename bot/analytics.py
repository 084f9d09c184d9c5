"""Usage counters for campaign staff: counts only, never message text or user ids.

One Redis hash per UTC day, ``safejobs:stats:<YYYY-MM-DD>``, kept about 400 days. Fields are
short fixed names, optionally with one code: ``checks``, ``risk:high``, ``flag:TOURIST_VISA``,
``language:th``, ``country:KH``, ``distress``, ``cases:opened``, ``cases:closed``,
``campaign:delivered``. Anything that does not look like such a name is dropped, so free text
can never end up in the statistics.

:func:`count` never raises and is a no-op without Redis (unit tests, CLIs): statistics must never
cost a user an answer. After a failure it stays quiet for a while instead of slowing every
request down with connection attempts.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import threading
import time
from typing import TYPE_CHECKING, Any

from bot import storage

if TYPE_CHECKING:
    import redis

log = logging.getLogger(__name__)

PREFIX = storage.key("stats") + ":"
TTL_SECONDS = 400 * 24 * 3600
RETRY_AFTER = 30.0  # seconds without attempts after Redis failed
#: ``name`` or ``name:CODE``; codes are ids, language or country codes (no spaces, short).
FIELD_RE = re.compile(r"[a-z][a-z_]{0,31}(:[A-Za-z0-9_\-]{1,40})?")

_client: redis.Redis | None = None
_client_lock = threading.Lock()
_down_until = 0.0


def day_key(day: dt.date) -> str:
    return f"{PREFIX}{day.isoformat()}"


def _today() -> dt.date:
    return dt.datetime.now(dt.timezone.utc).date()


def _default_client() -> redis.Redis | None:
    global _client
    if not storage.configured():
        return None
    with _client_lock:
        if _client is None:

            # Short timeouts: a slow Redis must not hold up an answer for a statistic.
            _client = storage.client("counter")
        return _client


def valid_field(name: str) -> bool:
    return isinstance(name, str) and FIELD_RE.fullmatch(name) is not None


def count(*fields: str, client: redis.Redis | None = None, amount: int = 1) -> None:
    """Add ``amount`` to each field in today's hash. Never raises; no-op without Redis."""
    global _down_until
    try:
        names = [f for f in fields if valid_field(f)]
        if len(names) != len(fields):
            log.debug("analytics: %d invalid field name(s) dropped", len(fields) - len(names))
        if not names:
            return
        if client is None:
            if time.monotonic() < _down_until:
                return
            client = _default_client()
            if client is None:
                return
        key = day_key(_today())
        pipe = client.pipeline(transaction=False)
        for name in names:
            pipe.hincrby(key, name, amount)
        pipe.expire(key, TTL_SECONDS)
        pipe.execute()
    except Exception as exc:  # noqa: BLE001 - statistics must never break a conversation
        _down_until = time.monotonic() + RETRY_AFTER
        log.warning("analytics: counter not stored (%s)", type(exc).__name__)


def series(
    days: int, client: redis.Redis | None = None, end: dt.date | None = None
) -> list[dict[str, Any]]:
    """The last ``days`` days (oldest first), each ``{"date": "YYYY-MM-DD", field: int, …}``.

    Days without any count are included with only their date, so charts have no gaps.
    """
    if client is None:
        client = _default_client()
    end = end or _today()
    dates = [end - dt.timedelta(days=offset) for offset in range(max(0, days) - 1, -1, -1)]
    if client is None:
        return [{"date": d.isoformat()} for d in dates]
    pipe = client.pipeline(transaction=False)
    for d in dates:
        pipe.hgetall(day_key(d))
    out = []
    for d, raw in zip(dates, pipe.execute(), strict=True):
        row: dict[str, Any] = {"date": d.isoformat()}
        for name, value in raw.items():
            key = name.decode() if isinstance(name, bytes) else str(name)
            row[key] = int(value)
        out.append(row)
    return out


def totals(rows: list[dict[str, Any]]) -> dict[str, int]:
    """Sum of every field over ``rows`` (from :func:`series`)."""
    out: dict[str, int] = {}
    for row in rows:
        for name, value in row.items():
            if name != "date":
                out[name] = out.get(name, 0) + int(value)
    return out
