"""Durable intake and degraded mode of the Telegram channel, with a real Redis and a fake API.

Stored before the 200, answered once, answered again after a crash, never silent.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import pytest

from bot.channels.degraded import Backends, degraded_reply
from bot.channels.intake import Intake
from bot.channels.telegram.channel import TelegramInput
from bot.i18n import t
from bot.ports import free_port
from bot.redis_server import RedisTarget
from tests.fakes.servers import FakeTelegram

SECRET = "test-secret_123"
HEADERS = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
DISTRESS_TH = "ช่วยด้วย โดนขังอยู่ ออกไปไม่ได้ ยึดพาสปอร์ต"


def update(update_id: int, text: str, chat: int = 111, language: str = "th") -> dict[str, Any]:
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": 0,
            "chat": {"id": chat, "type": "private"},
            "from": {"id": chat, "is_bot": False, "first_name": "A", "language_code": language},
            "text": text,
        },
    }


@pytest.fixture
def fake_telegram() -> Iterator[FakeTelegram]:
    server = FakeTelegram().start()
    yield server
    server.stop()


class Rasa:
    """Stands in for Rasa's handler: answers every message through the channel's output."""

    def __init__(self, fail: int = 0) -> None:
        self.fail = fail
        self.seen: list[str] = []

    async def __call__(self, message: Any) -> None:
        if self.fail > 0:
            self.fail -= 1
            raise ConnectionError("lock store unreachable")
        self.seen.append(message.text)
        await message.output_channel.send_response(message.sender_id, {"text": "answer"})


def receiver(channel: TelegramInput, rasa: Rasa) -> Any:
    blueprint = channel.blueprint(rasa)
    routes = {(r.uri, m): r.handler for r in blueprint._future_routes for m in r.methods}
    return routes[("/webhook", "POST")]


async def post(receive: Any, body: dict[str, Any]) -> int:
    answer = await receive(SimpleNamespace(headers=HEADERS, body=json.dumps(body).encode()))
    return int(answer.status)


async def drain(channel: TelegramInput, rounds: int = 1) -> None:
    for _ in range(rounds):
        assert channel.consumer is not None
        await channel.consumer.run_once(block_ms=50)
        await channel.worker.join()


def sent_texts(fake: FakeTelegram) -> list[str]:
    return [r.params.get("text", "") for r in fake.calls("sendMessage")]


async def test_stored_before_200_and_a_resend_is_answered_once(
    fake_telegram: FakeTelegram, intake_redis: RedisTarget
) -> None:
    channel, rasa = TelegramInput("1:A", SECRET, fake_telegram.base_url), Rasa()
    receive = receiver(channel, rasa)
    assert await post(receive, update(501, "hello")) == 200
    assert Intake("telegram").backlog() == 1  # stored before the answer
    assert await post(receive, update(501, "hello")) == 200  # Telegram resends it
    await drain(channel)
    assert rasa.seen == ["hello"] and sent_texts(fake_telegram) == ["answer"]
    assert Intake("telegram").backlog() == 0  # acknowledged and deleted (it held the words)
    client = intake_redis.client()
    assert 0 < client.ttl("safejobs:seen:telegram:501") <= 24 * 3600


async def test_after_a_crash_the_stored_update_is_answered_by_the_next_process(
    fake_telegram: FakeTelegram, intake_redis: RedisTarget
) -> None:
    crashed = TelegramInput("1:A", SECRET, fake_telegram.base_url)
    assert await post(receiver(crashed, Rasa()), update(502, "hello")) == 200
    # the process dies before its consumer ran: a new one (same consumer name) takes over
    restarted, rasa = TelegramInput("1:A", SECRET, fake_telegram.base_url), Rasa()
    receiver(restarted, rasa)
    await drain(restarted)
    assert rasa.seen == ["hello"]


async def test_a_failed_processing_is_retried_not_dropped(
    fake_telegram: FakeTelegram, intake_redis: RedisTarget, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("bot.channels.intake.RETRY_FIRST", 0.0)
    channel, rasa = TelegramInput("1:A", SECRET, fake_telegram.base_url), Rasa(fail=1)
    receive = receiver(channel, rasa)
    assert await post(receive, update(503, DISTRESS_TH)) == 200
    await drain(channel)  # Rasa fails (Redis lock): the person gets the degraded answer
    assert rasa.seen == [] and Intake("telegram").backlog() == 1
    first = sent_texts(fake_telegram)
    assert len(first) == 1 and any(ch.isdigit() for ch in first[0])  # hotlines, not silence
    await drain(channel)  # tried again: answered normally, no second degraded answer
    assert rasa.seen == [DISTRESS_TH] and sent_texts(fake_telegram)[1:] == ["answer"]
    assert Intake("telegram").backlog() == 0


async def test_redis_down_gives_a_degraded_answer_and_a_503(
    fake_telegram: FakeTelegram, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REDIS_URL", f"redis://127.0.0.1:{free_port()}/0")  # nobody listens
    channel = TelegramInput("1:A", SECRET, fake_telegram.base_url)
    receive = receiver(channel, Rasa())
    assert await post(receive, update(504, DISTRESS_TH)) == 503  # Telegram keeps it
    assert await post(receive, update(504, DISTRESS_TH)) == 503  # and resends it
    assert await post(receive, update(505, "สวัสดีครับ อยากถามเรื่องงาน", chat=112)) == 503
    await channel.worker.join()
    sent = fake_telegram.calls("sendMessage")
    by_chat = {str(r.params["chat_id"]): r.params["text"] for r in sent}
    assert len(sent) == 2  # one degraded answer per update
    assert by_chat["111"].startswith(t("th", "contacts.call"))  # what to do, then the contacts
    assert by_chat["112"] == t("th", "degraded.unavailable")


async def test_action_server_down_answers_degraded_then_normally(
    fake_telegram: FakeTelegram, intake_redis: RedisTarget, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("bot.channels.intake.RETRY_FIRST", 0.0)
    channel, rasa = TelegramInput("1:A", SECRET, fake_telegram.base_url), Rasa()
    channel.backends = Backends(f"http://127.0.0.1:{free_port()}/webhook")  # nothing there
    receive = receiver(channel, rasa)
    assert await post(receive, update(506, "I want to ask about a job", language="en")) == 200
    await drain(channel, rounds=2)
    assert rasa.seen == [] and sent_texts(fake_telegram) == [t("en", "degraded.unavailable")]
    intake = Intake("telegram")  # an outage is not the update's fault: no try counted
    assert {int(v) for v in intake.redis.hgetall(intake.attempts_key).values()} <= {0}
    channel.backends = Backends("")  # the action server is back
    await drain(channel)
    assert rasa.seen == ["I want to ask about a job"]
    assert sent_texts(fake_telegram)[1:] == ["answer"]


def test_degraded_reply_languages_and_code_word() -> None:
    assert degraded_reply("hello", "vi") == t("vi", "degraded.unavailable")
    assert degraded_reply("ช่วยด้วย โดนขังอยู่ ออกไปไม่ได้", None).startswith(
        t("th", "contacts.call")
    )
    assert degraded_reply("help me please, they locked me in, I can't leave", "en") != t(
        "en", "degraded.unavailable"
    )


async def test_messenger_batch_with_redis_down_gets_degraded_answers_and_a_503(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import hashlib
    import hmac

    from bot.channels.messenger.channel import MessengerInput
    from tests.fakes.servers import FakeGraph

    monkeypatch.setenv("REDIS_URL", f"redis://127.0.0.1:{free_port()}/0")
    graph = FakeGraph().start()
    try:
        channel = MessengerInput("page", "app-secret", "verify", graph.url)
        routes = {(r.uri, m): r.handler for r in channel.blueprint(Rasa())._future_routes
                  for m in r.methods}  # fmt: skip
        items = [
            {"sender": {"id": "7"}, "message": {"mid": "m.1", "text": DISTRESS_TH}},
            {"sender": {"id": "8"}, "message": {"mid": "m.2", "text": "Xin chào, tôi hỏi về việc"}},
        ]
        body = json.dumps({"object": "page", "entry": [{"messaging": items}]}).encode()
        signature = "sha256=" + hmac.new(b"app-secret", body, hashlib.sha256).hexdigest()
        request = SimpleNamespace(headers={"X-Hub-Signature-256": signature}, body=body)
        assert (await routes[("/webhook", "POST")](request)).status == 503
        await channel.worker.join()
        texts = {c.params["recipient"]["id"]: c.params["message"]["text"]
                 for c in graph.calls("/me/messages")}  # fmt: skip
        assert any(ch.isdigit() for ch in texts["7"])  # hotlines
        assert texts["8"] == t("vi", "degraded.unavailable")
    finally:
        graph.stop()


async def test_a_silent_run_is_tried_again(
    fake_telegram: FakeTelegram, intake_redis: RedisTarget, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rasa swallows a dead action server and sends nothing: not taken as answered."""
    monkeypatch.setattr("bot.channels.intake.RETRY_FIRST", 0.0)
    channel = TelegramInput("1:A", SECRET, fake_telegram.base_url)
    runs: list[str] = []

    async def rasa(message: Any) -> None:
        runs.append(message.text)
        if len(runs) > 1:
            await message.output_channel.send_response(message.sender_id, {"text": "answer"})

    receive = receiver(channel, rasa)  # type: ignore[arg-type]
    assert await post(receive, update(507, "hello", language="en")) == 200
    await drain(channel, rounds=2)
    assert runs == ["hello", "hello"]
    assert sent_texts(fake_telegram) == [t("en", "degraded.unavailable"), "answer"]
    assert Intake("telegram").backlog() == 0


async def test_a_blocked_user_is_not_run_again(
    fake_telegram: FakeTelegram, intake_redis: RedisTarget, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A permanent refusal (403): acknowledged at once, Rasa and the actions run only once."""
    monkeypatch.setattr("bot.channels.intake.RETRY_FIRST", 0.0)
    fake_telegram.blocked.add("113")
    channel, rasa = TelegramInput("1:A", SECRET, fake_telegram.base_url), Rasa()
    receive = receiver(channel, rasa)
    assert await post(receive, update(508, "blue umbrella", chat=113, language="en")) == 200
    await drain(channel, rounds=3)
    assert rasa.seen == ["blue umbrella"] and Intake("telegram").backlog() == 0
    assert len(fake_telegram.calls("sendMessage")) == 1  # no degraded answer after it either


async def test_a_transient_send_failure_is_tried_again(
    fake_telegram: FakeTelegram, intake_redis: RedisTarget, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("bot.channels.intake.RETRY_FIRST", 0.0)
    monkeypatch.setattr("bot.channels.telegram.api.MAX_RETRY_WAIT", 0.5)  # 1 s flood wait: give up
    fake_telegram.flood_left = 2  # the answer, then the degraded answer
    channel, rasa = TelegramInput("1:A", SECRET, fake_telegram.base_url), Rasa()
    receive = receiver(channel, rasa)
    assert await post(receive, update(509, "hello", language="en")) == 200
    await drain(channel)
    assert Intake("telegram").backlog() == 1  # kept for another try
    await drain(channel)
    assert rasa.seen == ["hello", "hello"] and sent_texts(fake_telegram)[-1] == "answer"
    assert Intake("telegram").backlog() == 0


async def test_tries_are_counted_across_restarts(
    fake_telegram: FakeTelegram, intake_redis: RedisTarget, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An update that kills every process that runs it is set aside after INTAKE_MAX_ATTEMPTS."""
    monkeypatch.setattr("bot.channels.intake.RETRY_FIRST", 0.0)
    monkeypatch.setattr("bot.channels.intake.MAX_ATTEMPTS", 3)
    first = TelegramInput("1:A", SECRET, fake_telegram.base_url)
    assert await post(receiver(first, Rasa()), update(510, "poison", language="en")) == 200
    intake = Intake("telegram")
    for _ in range(3):  # each process counts its try, then dies while Rasa runs
        tries = intake.count_attempt(intake.read(50)[0][0])
    assert tries == 3 and intake.backlog() == 1
    restarted, rasa = TelegramInput("1:A", SECRET, fake_telegram.base_url), Rasa()
    receiver(restarted, rasa)
    await drain(restarted)
    assert rasa.seen == [] and intake.backlog() == 0  # set aside without running it again
    client = intake_redis.client()
    assert client.xlen(intake.failed_stream) == 1 and not client.hlen(intake.attempts_key)


def test_set_aside_updates_expire_by_their_own_age_and_are_erased(
    intake_redis: RedisTarget, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot.casework.cases import CaseStore

    monkeypatch.setattr("bot.channels.intake.FAILED_MAXLEN", 3)
    client = intake_redis.client()
    intake = Intake("telegram", client)
    old = f"{int((time.time() - 8 * 24 * 3600) * 1000)}-0"  # set aside 8 days ago
    client.xadd(intake.failed_stream, {"key": "1", "lane": "111", "body": "words"}, id=old)
    assert intake.trim_failed() == 1  # the consumer's periodic trim, without any new failure
    client.xadd(intake.failed_stream, {"key": "1", "lane": "111", "body": "words"},
                id=old.replace("-0", "-1"))  # fmt: skip

    def set_aside(key: str, lane: str) -> None:
        entry = client.xadd(intake.stream, {"key": key, "lane": lane, "body": "words"})
        intake.set_aside(entry.decode(), {"key": key, "lane": lane, "body": "words"})

    set_aside("2", "111")
    assert [f[b"key"] for _, f in client.xrange(intake.failed_stream)] == [b"2"]  # old one gone
    for key in "345":
        set_aside(key, "112")
    assert client.xlen(intake.failed_stream) == 3  # INTAKE_FAILED_MAXLEN
    set_aside("6", "111")
    CaseStore(client).erase_user("telegram", "telegram:111")
    lanes = [f[b"lane"] for _, f in client.xrange(intake.failed_stream)]
    assert lanes == [b"112", b"112"]  # the erased user's words are gone, the others stay
