"""Usage counters: per-day hashes in a real Redis, no message text, no user id, never raising."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Iterator

import pytest
import redis

from actions.help import ActionDistress
from actions.job_offer import ActionCheckJobOffer
from bot import analytics
from bot.casework import operators
from bot.casework.cases import Case, CaseStore, new_case_id
from bot.redis_server import RedisTarget
from tests.helpers import make_tracker, run_action

OFFER = (
    "Tuyển gấp nhân viên chăm sóc khách hàng tại Campuchia, lương 2000 USD/tháng, "
    "không cần kinh nghiệm, bao vé máy bay, đi bằng visa du lịch. Liên hệ Telegram @tuyendung88"
)
DISTRESS = "Tôi bị nhốt ở Sihanoukville, họ lấy hộ chiếu và đánh tôi, cứu tôi với"


@pytest.fixture
def client(redis_target: RedisTarget) -> Iterator[redis.Redis]:
    client = redis_target.client()
    client.flushdb()
    yield client
    client.flushdb()


@pytest.fixture
def wired(client: redis.Redis, redis_target: RedisTarget, monkeypatch: pytest.MonkeyPatch):
    """The default analytics client points at the test Redis (as REDIS_HOST would)."""
    monkeypatch.setattr(analytics, "_client", client)
    monkeypatch.setattr(analytics, "_down_until", 0.0)
    monkeypatch.setenv("REDIS_HOST", redis_target.host)
    monkeypatch.setenv("BOT_CONTENT_WATCH", "0")
    return client


def _today(client: redis.Redis) -> dict[str, int]:
    key = analytics.day_key(dt.datetime.now(dt.timezone.utc).date())
    return {k.decode(): int(v) for k, v in client.hgetall(key).items()}


def _all_stored_text(client: redis.Redis) -> str:
    parts = []
    for key in client.scan_iter(match=f"{analytics.PREFIX}*"):
        parts.append(key.decode())
        for name, value in client.hgetall(key).items():
            parts += [name.decode(), value.decode()]
    return " ".join(parts)


def test_count_increments_per_day_with_ttl(client: redis.Redis) -> None:
    analytics.count("checks", "risk:high", "flag:TOURIST_VISA", "language:th", client=client)
    analytics.count("checks", "language:th", client=client)
    assert _today(client) == {"checks": 2, "risk:high": 1, "flag:TOURIST_VISA": 1, "language:th": 2}
    key = analytics.day_key(dt.datetime.now(dt.timezone.utc).date())
    assert 399 * 86400 < client.ttl(key) <= 400 * 86400


def test_text_and_ids_are_never_stored(client: redis.Redis) -> None:
    analytics.count("flag:I am trapped please help", "user:+66812345678 x", "checks", client=client)
    analytics.count("language:" + "x" * 200, "Checks", client=client)
    assert _today(client) == {"checks": 1}


def test_count_never_raises_and_is_a_noop_without_redis(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("REDIS_URL", raising=False)
    monkeypatch.delenv("REDIS_HOST", raising=False)
    monkeypatch.setattr(analytics, "_client", None)
    analytics.count("checks")  # no Redis configured: nothing happens
    dead = RedisTarget("127.0.0.1", 1).client(socket_connect_timeout=0.2)
    analytics.count("checks", client=dead)  # unreachable: logged, not raised


def test_series_has_every_day_oldest_first(client: redis.Redis) -> None:
    today = dt.datetime.now(dt.timezone.utc).date()
    client.hset(analytics.day_key(today - dt.timedelta(days=2)), mapping={"checks": 5})
    analytics.count("checks", "cases:opened", client=client)
    rows = analytics.series(3, client=client)
    assert [r["date"] for r in rows] == [
        (today - dt.timedelta(days=n)).isoformat() for n in (2, 1, 0)
    ]
    assert rows[0] == {"date": rows[0]["date"], "checks": 5}
    assert rows[1] == {"date": rows[1]["date"]}
    assert rows[2]["checks"] == 1 and rows[2]["cases:opened"] == 1
    assert analytics.totals(rows) == {"checks": 6, "cases:opened": 1}


def test_job_offer_check_is_counted_without_its_text(wired: redis.Redis) -> None:
    run_action(ActionCheckJobOffer(), make_tracker(OFFER, intent="check_offer",
                                                   slots={"language": "vi"}))
    stats = _today(wired)
    assert stats["checks"] == 1 and stats["language:vi"] == 1
    assert stats["risk:high"] == 1
    assert stats["flag:TOURIST_VISA"] == 1
    stored = _all_stored_text(wired).casefold()
    for word in ("campuchia", "2000", "tuyendung88", "telegram", "khách"):
        assert word not in stored


def test_distress_is_counted_with_language_and_country(wired: redis.Redis) -> None:
    run_action(ActionDistress(), make_tracker(DISTRESS, intent="distress",
                                              slots={"language": "vi"}))
    stats = _today(wired)
    assert stats["distress"] == 1 and stats["language:vi"] == 1 and stats["country:KH"] == 1
    assert "sihanoukville" not in _all_stored_text(wired).casefold()


def test_case_closed_by_an_operator_is_counted_once(wired: redis.Redis) -> None:
    store = CaseStore(wired)
    case = Case(id=new_case_id(), channel="rest", sender_id="u1", language="th", country="TH",
                nationality="TH", severity="urgent", signals=["CONFINEMENT"], words=[])
    store.create(case)

    async def send(case: Case, text: str) -> None:  # never called for /close
        raise AssertionError

    asyncio.run(operators.handle(store, f"/close {case.id}", None, send))
    asyncio.run(operators.handle(store, f"/close {case.id}", None, send))
    assert _today(wired)["cases:closed"] == 1
    assert "u1" not in _all_stored_text(wired)


def test_case_opened_with_consent_is_counted(
    wired: redis.Redis, monkeypatch: pytest.MonkeyPatch
) -> None:
    import actions.handover as handover

    monkeypatch.setattr(handover, "case_store", lambda: CaseStore(wired))
    tracker = make_tracker("yes", intent="affirm", slots={"language": "vi"},
                           entities=[{"entity": "consent", "value": "without_words"}])
    run_action(handover.ActionCreateCase(), tracker)
    assert _today(wired)["cases:opened"] == 1
