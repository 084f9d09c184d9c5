"""Fast tests of the Telegram channel: update parsing, callback data, retries, sending, webhook."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from telegram import Bot, Update, User
from telegram.error import BadRequest as TelegramBadRequest
from telegram.error import Forbidden, RetryAfter, TimedOut

from bot.channels.common import DeliveryFailed
from bot.channels.telegram.api import MAX_ATTEMPTS, call_or_raise, call_with_retries
from bot.channels.telegram.channel import TelegramInput
from bot.channels.telegram.input import CALLBACK_DATA_BYTES, CallbackPayloads, parse_update
from bot.channels.telegram.output import TelegramOutput
from bot.redis_server import RedisTarget
from tests.fakes.servers import BOT_USER, FakeTelegram

UPDATES = json.loads((Path(__file__).parent / "fakes" / "telegram_updates.json").read_text())
ME = User(BOT_USER["id"], BOT_USER["first_name"], True, username=BOT_USER["username"])
SECRET = "test-secret_123"


def event(name: str, me: User | None = ME) -> Any:
    return parse_update(Update.de_json(UPDATES[name], None), me)


@pytest.mark.parametrize(
    ("name", "text", "metadata"),
    [
        ("text", "สวัสดีครับ", {"language_code": "th"}),
        ("edited", "งานที่กัมพูชา เงินเดือน 50000", {"language_code": "th", "edited": True}),
        ("photo_caption", "Is this job real? Salary 3000 USD, no experience", {"has_photo": True}),
        ("photo_only", "", {"has_photo": True}),
        ("sticker", "", {"unsupported": "sticker", "language_code": "km"}),
        ("voice", "", {"unsupported": "voice"}),
        ("location", "", {"unsupported": "location"}),
        ("forwarded", "Tuyển gấp nhân viên CSKH", {"forwarded": True, "language_code": "vi"}),
        ("callback", '/choose_language{"language": "km"}', {"language_code": "my"}),
        ("group_mention", "apakah lowongan ini aman?", {"language_code": "id"}),
        ("group_reply", "thanks", {}),
        ("start", "/greet", {"language_code": "lo"}),
    ],
)
def test_each_update_kind_becomes_a_message(name: str, text: str, metadata: dict) -> None:
    parsed = event(name)
    assert parsed is not None
    assert parsed.text.startswith(text)
    assert metadata.items() <= parsed.metadata.items()
    chat = UPDATES[name].get("message", {}).get("chat", {}).get("id", 111)
    assert parsed.sender_id == f"telegram:{chat}"


@pytest.mark.parametrize("name", ["my_chat_member", "group_plain", "channel_post", "unknown_type"])
def test_updates_to_ignore(name: str) -> None:
    assert event(name) is None


def test_groups_stay_quiet_when_the_bot_is_unknown() -> None:
    assert event("group_mention", me=None) is None
    assert event("text", me=None) is not None  # private chats need no getMe


def test_callback_query_is_marked_for_answering() -> None:
    parsed = event("callback")
    assert parsed.callback_query_id == "cbq-1" and parsed.chat_id == 111


def test_callback_data_fits_64_bytes_and_comes_back() -> None:
    callbacks = CallbackPayloads(capacity=2)
    short = '/choose_language{"language": "km"}'
    assert callbacks.encode(short) == short
    long = '/ask_faq{"faq_topic": "' + "ใบอนุญาตทำงาน" * 5 + '"}'
    data = callbacks.encode(long)
    assert len(data.encode()) <= CALLBACK_DATA_BYTES and data.startswith("/ask_faq#")
    assert callbacks.decode(data) == long
    assert callbacks.encode(long) == data  # stable
    for i in range(3):  # evicts the first mapping
        callbacks.encode(long + "x" * i)
    assert callbacks.decode(data) == "/ask_faq"  # the intent survives a lost mapping
    assert CallbackPayloads().decode("#0123456789abcdef") == ""
    assert len(CallbackPayloads().encode("x" * 200).encode()) <= CALLBACK_DATA_BYTES


async def test_retry_after_is_honoured_and_bounded() -> None:
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    attempts = iter([RetryAfter(2), RetryAfter(3), "sent"])

    async def flaky() -> str:
        outcome = next(attempts)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    assert await call_with_retries(flaky, "sendMessage", sleep) == "sent"
    assert waits == [2.0, 3.0]

    calls = 0

    async def always_flooded() -> None:
        nonlocal calls
        calls += 1
        raise RetryAfter(1)

    assert await call_with_retries(always_flooded, "sendMessage", sleep) is None
    assert calls == MAX_ATTEMPTS

    async def too_long() -> None:
        raise RetryAfter(3600)

    async def blocked() -> None:
        raise Forbidden("bot was blocked by the user")

    async def timeout() -> None:
        raise TimedOut()

    waits.clear()
    assert await call_with_retries(too_long, "x", sleep) is None and waits == []
    assert await call_with_retries(blocked, "x", sleep) is None and waits == []
    assert await call_with_retries(timeout, "x", sleep) is None and len(waits) == MAX_ATTEMPTS - 1


async def test_refusals_are_permanent_and_outages_transient() -> None:
    async def sleep(seconds: float) -> None:
        pass

    async def bad_request() -> None:
        raise TelegramBadRequest("Chat not found")

    async def blocked() -> None:
        raise Forbidden("bot was blocked by the user")

    async def flooded() -> None:
        raise RetryAfter(3600)

    async def timeout() -> None:
        raise TimedOut()

    for call, permanent in ((bad_request, True), (blocked, True), (flooded, False),
                            (timeout, False)):  # fmt: skip
        with pytest.raises(DeliveryFailed) as failed:
            await call_or_raise(call, "sendMessage", sleep)
        assert failed.value.permanent is permanent


@pytest.fixture
def fake_telegram() -> Iterator[FakeTelegram]:
    server = FakeTelegram().start()
    yield server
    server.stop()


async def test_output_splits_and_sends_an_inline_keyboard(fake_telegram: FakeTelegram) -> None:
    bot = Bot("123:ABC", base_url=fake_telegram.base_url)
    output = TelegramOutput(bot, CallbackPayloads())
    buttons = [
        {"title": "ตรวจสอบข้อเสนองาน", "payload": "/check_offer"},
        {"title": "Long", "payload": '/ask_faq{"faq_topic": "' + "x" * 80 + '"}'},
    ]
    fake_telegram.flood_left = 1  # the first send meets flood control and is retried
    long_text = ("บรรทัด " * 300 + "\n") * 4
    await output.send_response("telegram:111", {"text": long_text, "buttons": buttons})
    await output.send_response("telegram:111", {"image": "https://example.org/a.png"})
    sent = fake_telegram.calls("sendMessage")
    delivered = [s for s in sent if s.params.get("text")]
    assert len(sent) >= 3 and all(len(s.params["text"]) <= 4096 for s in delivered)
    assert all(str(s.params["chat_id"]) == "111" for s in sent)
    keyboards = [s.params.get("reply_markup") for s in delivered if s.params.get("reply_markup")]
    assert len(keyboards) == 1 and delivered[-1].params.get("reply_markup")
    rows = keyboards[0]["inline_keyboard"]
    assert [r[0]["text"] for r in rows] == ["ตรวจสอบข้อเสนองาน", "Long"]
    assert all(len(r[0]["callback_data"].encode()) <= 64 for r in rows)
    assert fake_telegram.calls("sendPhoto")


class FakeRequest(SimpleNamespace):
    pass


def _routes(channel: Any, on_new_message: Any) -> dict[tuple[str, str], Any]:
    blueprint = channel.blueprint(on_new_message)
    return {
        (route.uri, method): route.handler
        for route in blueprint._future_routes
        for method in route.methods
    }


async def drain(channel: Any) -> None:
    """What the intake consumer does in the server: process what is stored, then wait."""
    await channel.consumer.run_once(block_ms=50)
    await channel.worker.join()


async def test_webhook_checks_the_secret_and_answers_before_processing(
    fake_telegram: FakeTelegram, intake_redis: RedisTarget
) -> None:
    channel = TelegramInput("123:ABC", SECRET, fake_telegram.base_url)
    received: list[Any] = []

    async def on_new_message(message: Any) -> None:
        received.append(message)
        await message.output_channel.send_response(message.sender_id, {"text": "ok"})

    receive = _routes(channel, on_new_message)[("/webhook", "POST")]
    body = json.dumps(UPDATES["callback"]).encode()
    for headers in ({}, {"X-Telegram-Bot-Api-Secret-Token": "wrong"}):
        answer = await receive(FakeRequest(headers=headers, body=body))
        assert answer.status in (401, 403)
    await channel.worker.join()
    assert received == [] and fake_telegram.requests == []

    good = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
    answer = await receive(FakeRequest(headers=good, body=body))
    assert answer.status == 200
    await drain(channel)
    assert [m.text for m in received] == ['/choose_language{"language": "km"}']
    assert received[0].sender_id == "telegram:111"
    assert received[0].metadata == {"language_code": "my", "update_key": "telegram:10"}
    assert fake_telegram.calls("answerCallbackQuery")[0].params["callback_query_id"] == "cbq-1"
    assert fake_telegram.calls("sendMessage")

    received.clear()
    await receive(FakeRequest(headers=good, body=json.dumps(UPDATES["photo_only"]).encode()))
    await receive(FakeRequest(headers=good, body=json.dumps(UPDATES["sticker"]).encode()))
    await drain(channel)
    assert [m.text for m in received] == ["/job_offer", "/menu"]
    assert received[0].metadata["has_photo"] is True


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"\x00\xff\x10binary",
        b'{"update_id": ',
        b"[]",
        b'"text"',
        b'{"update_id": "x", "message": 5}',
        b'{"message": {"chat": "nope", "text": ["a"]}}',
        b'{"update_id": 1, "message": {"message_id": 1, "date": 0, "chat": {"id": 1}}}',
        b'{"update_id": 1, "callback_query": {"id": 5}}',
        b"[" * 50_000 + b"]" * 50_000,
        b'{"update_id": 1, "message": ' * 3000 + b"1" + b"}" * 3000,
    ],
)
async def test_webhook_never_fails_on_bad_bodies(body: bytes, intake_redis: RedisTarget) -> None:
    channel = TelegramInput("123:ABC", SECRET, "http://127.0.0.1:9/bot")
    received: list[Any] = []

    async def on_new_message(message: Any) -> None:
        received.append(message)

    receive = _routes(channel, on_new_message)[("/webhook", "POST")]
    answer = await receive(
        FakeRequest(headers={"X-Telegram-Bot-Api-Secret-Token": SECRET}, body=body)
    )
    assert answer.status in (200, 400)
    await channel.worker.join()  # background errors are logged, never raised


def test_set_webhook_registers_the_secret_and_update_kinds(fake_telegram: FakeTelegram) -> None:
    import os
    import subprocess
    import sys

    env = dict(
        os.environ,
        TELEGRAM_BOT_TOKEN="123:ABC",
        TELEGRAM_WEBHOOK_SECRET=SECRET,
        TELEGRAM_API_BASE_URL=fake_telegram.base_url,
    )
    command = [sys.executable, "-m", "bot", "telegram", "set-webhook"]
    done = subprocess.run(
        [*command, "https://bot.example.org"], env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    [call] = fake_telegram.calls("setWebhook")
    assert call.params["url"] == "https://bot.example.org/webhooks/telegram/webhook"
    assert call.params["secret_token"] == SECRET
    assert "callback_query" in call.params["allowed_updates"]
    assert "123:ABC" not in done.stdout + done.stderr
    refused = subprocess.run(
        [*command, "http://plain.example.org"], env=env, capture_output=True, text=True
    )
    assert refused.returncode == 1 and "https" in refused.stderr


# -- groups: nothing personal there ------------------------------------------------------------


def test_a_group_message_is_the_group_conversation_with_a_private_link() -> None:
    parsed = event("group_mention")
    assert parsed.sender_id == "telegram:-100222"
    assert parsed.metadata["private_chat_url"] == f"https://t.me/{BOT_USER['username']}?start=help"
    assert "private_chat_url" not in event("text").metadata


@pytest.mark.parametrize(
    ("text", "intent"),
    [("/start help", "/need_help"), ("/start", "/greet"), ("/start other", "/greet")],
)
def test_the_private_link_opens_the_help_path(text: str, intent: str) -> None:
    update = json.loads(json.dumps(UPDATES["text"]))
    update["message"]["text"] = text
    assert parse_update(Update.de_json(update, None), ME).text == intent


async def test_group_link_buttons_open_the_private_chat_and_ids_stay_in_their_channel(
    fake_telegram: FakeTelegram,
) -> None:
    from bot.identity import ForeignId

    output = TelegramOutput(Bot("123:ABC", base_url=fake_telegram.base_url), CallbackPayloads())
    link = f"https://t.me/{BOT_USER['username']}?start=help"
    await output.send_response(
        "telegram:-100222", {"text": "hotlines", "buttons": [{"title": "Talk", "payload": link}]}
    )
    (sent,) = fake_telegram.calls("sendMessage")
    assert str(sent.params["chat_id"]) == "-100222"
    assert sent.params["reply_markup"]["inline_keyboard"] == [[{"text": "Talk", "url": link}]]
    for foreign in ("messenger:111", "web:111", "111"):
        with pytest.raises(ForeignId):
            await output.send_response(foreign, {"text": "x"})
    assert len(fake_telegram.calls("sendMessage")) == 1
