"""The campaign broadcaster against fake APIs that enforce Telegram's limits, with a real Redis."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import redis
import redis.asyncio as aredis

from bot import LANGUAGES
from bot.broadcast import (
    Broadcaster,
    ChannelLimits,
    MessengerSender,
    TelegramSender,
    TokenBucket,
    limits_from_env,
)
from bot.campaigns import Campaign, last_seen_key, schedule, status, subscribe, subscription
from bot.redis_server import RedisTarget
from tests.fakes.servers import FakeServer, FakeTelegram

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "123456:CAMPAIGN-test"


@pytest.fixture
def client(redis_target: RedisTarget) -> redis.Redis:
    connection = redis_target.client()
    connection.flushdb()
    return connection


def _limited(**options: Any) -> FakeTelegram:
    """The fake Telegram enforcing Telegram's limits (30 a second, 1 a second per chat)."""
    return FakeTelegram(overall_limit=30, chat_interval=1.0, **options)


@pytest.fixture
def fake() -> Iterator[FakeTelegram]:
    api = _limited().start()
    yield api
    api.stop()


def _broadcast(target: RedisTarget, senders: dict[str, Any], concurrency: int = 4) -> Any:
    async def main() -> Any:
        client = aredis.Redis(host=target.host, port=target.port)
        broadcaster = Broadcaster(client, senders, limits_from_env({}), concurrency, name="t")
        try:
            return await broadcaster.run_due()
        finally:
            await broadcaster.close()
            await client.close()

    return asyncio.run(main())


def _env(target: RedisTarget, fake: FakeTelegram, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MESSENGER_", "CAMPAIGN_"))}
    env.update(
        REDIS_URL=f"redis://127.0.0.1:{target.port}/0",
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_API_BASE_URL=fake.base_url,
        **extra,
    )
    return env


# -- one campaign, many languages ---------------------------------------------------------------


def test_fifty_subscribers_each_get_it_once_in_their_language(
    client: redis.Redis,
    redis_target: RedisTarget,
    fake: FakeTelegram,
    caplog: pytest.LogCaptureFixture,
) -> None:
    languages = {str(1000 + i): LANGUAGES[i % len(LANGUAGES)] for i in range(50)}
    for chat, language in languages.items():
        subscribe("telegram", chat, language, client)
    texts = {lang: f"alert [{lang}]" for lang in LANGUAGES if lang not in ("lo", "ne")}
    schedule(client, Campaign("mixed", texts))

    with caplog.at_level(logging.INFO, logger="bot.broadcast"):
        done = _broadcast(redis_target, {"telegram": TelegramSender(TOKEN, fake.base_url)})

    assert done == ["mixed"]
    assert set(fake.texts) == set(languages)
    for chat, language in languages.items():
        expected = texts.get(language, texts["en"])
        assert fake.texts[chat] == [expected], chat
    result = status(client, "mixed")
    assert result.status == "done"
    assert result.counts == Counter(sent=50)
    assert result.fallback == Counter(lo=5, ne=5)
    assert "no text in lo" in caplog.text and "no text in ne" in caplog.text
    assert not any(chat in caplog.text for chat in languages), "user ids must not be logged"
    # Recipient records (channel:id) expire: 30 days by default (CAMPAIGN_RECORD_EXP).
    assert 0 < client.ttl("safejobs:campaign:mixed:recipients") <= 30 * 24 * 3600
    # Run again: done campaigns are never sent twice.
    schedule_again = client.zadd("safejobs:campaigns:due", {"mixed": 0})
    assert schedule_again == 1
    _broadcast(redis_target, {"telegram": TelegramSender(TOKEN, fake.base_url)})
    assert len(fake.accepted) == 50


def test_audience_filter_by_language(
    client: redis.Redis, redis_target: RedisTarget, fake: FakeTelegram
) -> None:
    for i, language in enumerate(["th", "my", "en", "km"]):
        subscribe("telegram", str(1100 + i), language, client)
    schedule(client, Campaign("border", {"en": "e", "th": "t"}, languages=("th", "my")))
    _broadcast(redis_target, {"telegram": TelegramSender(TOKEN, fake.base_url)})
    assert fake.texts == {"1100": ["t"], "1101": ["e"]}


def test_a_user_who_blocked_the_bot_is_unsubscribed(
    client: redis.Redis, redis_target: RedisTarget
) -> None:
    api = _limited(blocked={"2001", "2003"}).start()
    try:
        for i in range(6):
            subscribe("telegram", str(2000 + i), "vi", client)
        schedule(client, Campaign("blocked", {"en": "x", "vi": "y"}))
        _broadcast(redis_target, {"telegram": TelegramSender(TOKEN, api.base_url)})
    finally:
        api.stop()
    assert status(client, "blocked").counts == Counter(sent=4, blocked=2)
    assert subscription("telegram", "2001", client) is None
    assert subscription("telegram", "2003", client) is None
    assert subscription("telegram", "2002", client) is not None
    assert client.scard("safejobs:subscribers") == 4


def test_retry_after_is_honoured(client: redis.Redis, redis_target: RedisTarget) -> None:
    api = _limited(flood_first=1).start()
    try:
        for i in range(3):
            subscribe("telegram", str(3000 + i), "en", client)
        schedule(client, Campaign("flood", {"en": "x"}))
        started = time.monotonic()
        _broadcast(redis_target, {"telegram": TelegramSender(TOKEN, api.base_url)})
        elapsed = time.monotonic() - started
    finally:
        api.stop()
    assert api.rejected[429] == 1
    assert sorted(api.texts) == ["3000", "3001", "3002"] and api.duplicates() == 0
    assert elapsed >= 1.0  # waited the retry_after of 1 s


# -- Messenger: the 24-hour window ----------------------------------------------------------------


def test_messenger_subscribers_outside_24_hours_are_skipped(
    client: redis.Redis, redis_target: RedisTarget
) -> None:
    def respond(method: str, params: dict[str, Any]) -> tuple[int, Any]:
        if params["recipient"]["id"] == "m-gone":
            error = {"message": "This person isn't available right now.", "code": 551}
            return 400, {"error": error}
        return 200, {"recipient_id": params["recipient"]["id"], "message_id": "m.1"}

    graph = FakeServer(respond).start()
    now = time.time()
    seen = {"m-recent": now - 3600, "m-stale": now - 25 * 3600, "m-never": None, "m-gone": now}
    for psid, moment in seen.items():
        subscribe("messenger", psid, "id", client)
        if moment is not None:
            client.set(last_seen_key("messenger", psid), moment)
    schedule(client, Campaign("window", {"en": "x", "id": "peringatan"}))
    try:
        _broadcast(redis_target, {"messenger": MessengerSender("page-token", graph.url)})
    finally:
        graph.stop()
    sent_to = [r.params["recipient"]["id"] for r in graph.requests]
    assert sorted(sent_to) == ["m-gone", "m-recent"]
    assert graph.requests[0].params["message"]["text"] == "peringatan"
    assert graph.requests[0].query == {"access_token": "page-token"}
    counts = status(client, "window").counts
    assert counts == Counter(sent=1, outside_window=2, blocked=1)
    assert subscription("messenger", "m-gone", client) is None
    assert subscription("messenger", "m-stale", client) is not None  # skipped, not dropped


# -- rate limits ----------------------------------------------------------------------------------


def test_token_bucket_spaces_reservations() -> None:
    clock = [0.0]
    bucket = TokenBucket(rate=10.0, clock=lambda: clock[0])
    assert [bucket.reserve() for _ in range(3)] == pytest.approx([0.0, 0.1, 0.2])
    bucket.pause(1.0)
    assert bucket.reserve() == pytest.approx(1.3)


def test_one_chat_gets_at_most_one_message_a_second(fake: FakeTelegram) -> None:
    async def main() -> None:
        sender = TelegramSender(TOKEN, fake.base_url)
        limits = ChannelLimits(rate=29.0)
        for _ in range(3):
            await limits.acquire("777")
            assert (await sender.send("777", "x")).kind == "sent"
        await sender.close()

    asyncio.run(main())
    assert fake.rejected[429] == 0
    gap = fake.min_chat_gap()
    assert gap is not None and gap >= 1.0


class StubSender:
    """A Bot API stand-in inside the process: records when each send starts, takes them all."""

    channel = "telegram"

    def __init__(self) -> None:
        self.sends: list[tuple[float, str]] = []

    async def send(self, recipient_id: str, text: str) -> Any:
        from bot.broadcast import Outcome

        self.sends.append((time.monotonic(), recipient_id))
        return Outcome("sent", message_id=str(len(self.sends)))

    async def close(self) -> None:
        pass


def test_limiters_keep_30_a_second_overall_and_1_a_second_per_chat() -> None:
    """Timestamps taken where the request leaves: independent of the machine's load."""
    stub = StubSender()
    limits = ChannelLimits(rate=29.0)

    async def one(chat: str) -> None:
        await limits.acquire(chat)
        await stub.send(chat, "x")

    async def main() -> None:
        chats = [str(6000 + i % 40) for i in range(80)]  # 40 chats, two messages each
        await asyncio.gather(*(one(chat) for chat in chats))

    asyncio.run(main())
    times = sorted(t for t, _ in stub.sends)
    assert len(times) == 80
    assert max(sum(1 for t in times if start <= t < start + 1.0) for start in times) <= 30
    last: dict[str, float] = {}
    for moment, chat in sorted(stub.sends):
        assert chat not in last or moment - last[chat] >= 1.0
        last[chat] = moment


def test_worker_never_exceeds_30_a_second(
    client: redis.Redis, redis_target: RedisTarget, fake: FakeTelegram
) -> None:
    """The real worker process (no shared interpreter with the fake, as in production)."""
    for i in range(70):
        subscribe("telegram", str(4000 + i), "en", client)
    schedule(client, Campaign("rate", {"en": "x"}))
    subprocess.run(
        [sys.executable, "-m", "bot", "campaign", "run", "--once"],
        cwd=ROOT, env=_env(redis_target, fake), timeout=60, check=True,
    )  # fmt: skip
    assert len(fake.accepted) == 70 and fake.duplicates() == 0
    # Arrival times at a fake on a busy machine can bunch by more than the limiter's 100 ms
    # margin; the fake then answers 429, which is honoured (nobody lost, nobody twice).
    assert fake.rejected[429] <= 2
    times = sorted(t for t, _ in fake.accepted)
    assert times[-1] - times[0] >= 69 / 30  # 70 messages cannot take less at 30/s


# -- crash and resume -----------------------------------------------------------------------------


def test_killed_mid_run_and_restarted_sends_each_exactly_once(
    client: redis.Redis, redis_target: RedisTarget
) -> None:
    worker: list[subprocess.Popen[bytes]] = []

    def kill_at_twenty(count: int) -> None:
        if count == 20:  # while the worker waits for this answer: the in-flight window
            os.kill(worker[0].pid, signal.SIGKILL)

    api = _limited(on_accept=kill_at_twenty).start()
    try:
        for i in range(50):
            subscribe("telegram", str(5000 + i), LANGUAGES[i % len(LANGUAGES)], client)
        schedule(client, Campaign("crash", {lang: f"c [{lang}]" for lang in LANGUAGES}))
        env = _env(redis_target, api, CAMPAIGN_CONCURRENCY="1")
        command = [sys.executable, "-m", "bot", "campaign", "run"]
        worker.append(subprocess.Popen(command, cwd=ROOT, env=env))
        assert worker[0].wait(timeout=60) == -signal.SIGKILL
        assert len(api.accepted) == 20
        assert status(client, "crash").status == "running"

        subprocess.run([*command, "--once"], cwd=ROOT, env=env, timeout=60, check=True)
    finally:
        if worker and worker[0].poll() is None:
            worker[0].kill()
        api.stop()
    assert len(api.accepted) == 50, "total deliveries == subscribers"
    assert len(api.texts) == 50 and api.duplicates() == 0
    result = status(client, "crash")
    assert result.status == "done"
    # The 20th was taken by the API but its answer never reached the worker: it stays
    # "uncertain" and is not resent.
    assert result.counts == Counter(sent=49, uncertain=1)
