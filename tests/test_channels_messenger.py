"""Fast tests of the Messenger channel: signature, batches, quick replies, Send API, webhook."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import itertools
import json
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import pytest

from bot.channels.common import Button, DeliveryFailed, Outgoing
from bot.channels.intake import Intake
from bot.channels.messenger.channel import MessengerInput
from bot.channels.messenger.input import parse_events, signature_valid
from bot.channels.messenger.output import MAX_QUICK_REPLIES, MessengerOutput, message_payloads
from bot.redis_server import RedisTarget
from tests.fakes.servers import FakeGraph

APP_SECRET = "app-secret-for-tests"
VERIFY = "verify-token-for-tests"
CHOOSE_TH = '/choose_language{"language": "th"}'
IMAGE = {"type": "image", "payload": {"url": "https://example.org/x.png"}}


def sign(body: bytes, secret: str = APP_SECRET) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


MIDS = itertools.count(1)  # Meta's message ids are unique


def batch(*items: dict[str, Any], entries: int = 1) -> dict[str, Any]:
    return {
        "object": "page",
        "entry": [{"id": "page", "time": 1, "messaging": list(items)} for _ in range(entries)],
    }


def text_item(sender: str, text: str) -> dict[str, Any]:
    return {
        "sender": {"id": sender},
        "recipient": {"id": "page"},
        "message": {"mid": f"m.{next(MIDS)}", "text": text},
    }


def test_signature() -> None:
    body = b'{"object": "page"}'
    assert signature_valid(body, sign(body), APP_SECRET)
    assert signature_valid(body, sign(body).upper().replace("SHA256=", "sha256="), APP_SECRET)
    assert not signature_valid(body, sign(body, "other"), APP_SECRET)
    assert not signature_valid(body + b" ", sign(body), APP_SECRET)
    assert not signature_valid(body, None, APP_SECRET)
    assert not signature_valid(body, sign(body)[7:], APP_SECRET)  # no "sha256=" prefix
    assert not signature_valid(body, "sha1=abc", APP_SECRET)


def test_every_entry_and_item_of_a_batch() -> None:
    data = batch(
        text_item("1", "hello"),
        {"sender": {"id": "2"}, "postback": {"title": "Menu", "payload": "/menu"}},
        {"sender": {"id": "3"}, "message": {"text": "Thai", "quick_reply": {"payload": CHOOSE_TH}}},
        {"sender": {"id": "4"}, "message": {"is_echo": True, "text": "our own reply"}},
        {"sender": {"id": "5"}, "delivery": {"mids": ["m"]}},
        {"sender": {"id": "6"}, "message": {"attachments": [IMAGE]}},
        {"sender": {"id": "7"}, "message": {"sticker_id": 369239263222822, "attachments": [IMAGE]}},
        {"sender": {"id": "8"}, "message": {"attachments": [{"type": "audio"}]}},
        {"sender": {"id": 9}, "message": {"text": "numeric id"}},
        {"sender": "nope", "message": {"text": "x"}},
        "junk",
        entries=2,
    )
    events = parse_events(data)
    assert len(events) == 2 * 7
    first = events[:7]
    assert [e.sender_id for e in first] == [f"messenger:{n}" for n in "1236789"]
    assert [e.text for e in first[:3]] == ["hello", "/menu", '/choose_language{"language": "th"}']
    assert first[3].metadata == {"has_photo": True}
    assert first[4].metadata == {"unsupported": "sticker"}
    assert first[5].metadata == {"unsupported": "audio"}
    assert parse_events({"object": "instagram", "entry": []}) == []
    assert parse_events({"object": "page", "entry": "x"}) == []
    assert parse_events({"object": "page", "entry": [{"standby": [text_item("1", "x")]}]}) == []


def test_quick_replies_are_trimmed_and_bounded() -> None:
    buttons = [Button("ตรวจสอบข้อเสนองานที่ได้รับ", "/check_offer"), Button("Help", "/need_help")]
    [message] = message_payloads(Outgoing("Menu", buttons))
    titles = [q["title"] for q in message["quick_replies"]]
    assert all(len(t) <= 20 for t in titles) and titles[1] == "Help"
    assert message["quick_replies"][0]["payload"] == "/check_offer"
    many = [Button(f"Option {i}", f'/choose_language{{"language": "{i}"}}') for i in range(20)]
    messages = message_payloads(Outgoing("Pick one", many))
    assert messages[0] == {"text": "Pick one"}
    templates = [m["attachment"]["payload"] for m in messages[1:]]
    assert sum(len(t["buttons"]) for t in templates) == 20  # no button lost
    assert all(len(t["buttons"]) <= 3 and t["text"] for t in templates)
    assert len(message_payloads(Outgoing("x", many[:MAX_QUICK_REPLIES]))) == 1


@pytest.fixture
def fake_graph() -> Iterator[FakeGraph]:
    server = FakeGraph().start()
    yield server
    server.stop()


async def test_send_api_gets_split_text_with_quick_replies(fake_graph: FakeGraph) -> None:
    output = MessengerOutput("page-token", fake_graph.url)
    await output.send_response(
        "messenger:psid-1",
        {"text": "word " * 1000, "buttons": [{"title": "Menu", "payload": "/menu"}]},
    )
    sent = fake_graph.calls("/me/messages")
    assert len(sent) == 3
    assert all(s.query["access_token"] == "page-token" for s in sent)
    assert all(s.params["recipient"] == {"id": "psid-1"} for s in sent)
    assert all(len(s.params["message"]["text"]) <= 2000 for s in sent)
    assert "quick_replies" in sent[-1].params["message"]
    assert "quick_replies" not in sent[0].params["message"]


async def test_send_api_failures_are_bounded(fake_graph: FakeGraph) -> None:
    fake_graph.responder = lambda method, params: (400, {"error": {"message": "bad"}})
    output = MessengerOutput("page-token", fake_graph.url)
    assert await output.api.post({"recipient": {"id": "1"}, "message": {"text": "x"}}) is False
    assert len(fake_graph.requests) == 1  # a 4xx is not retried
    answers = iter([(400, {"error": {"code": 613}}), (200, {"message_id": "m"})])
    fake_graph.responder = lambda method, params: next(answers)
    output.api.sleep = asyncio.sleep
    assert await output.api.post({"recipient": {"id": "1"}, "message": {"text": "x"}}) is True
    assert len(fake_graph.requests) == 3  # the rate limit (code 613) was waited out
    unreachable = MessengerOutput("page-token", "http://127.0.0.1:9")
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    unreachable.api.sleep = sleep
    assert await unreachable.api.post({"recipient": {"id": "1"}, "message": {"text": "x"}}) is False
    assert waits == [1.0, 2.0, 3.0]  # network errors retried with a growing pause, bounded


def _routes(channel: MessengerInput, on_new_message: Any) -> dict[tuple[str, str], Any]:
    blueprint = channel.blueprint(on_new_message)
    return {
        (route.uri, method): route.handler
        for route in blueprint._future_routes
        for method in route.methods
    }


async def test_handshake() -> None:
    channel = MessengerInput("page-token", APP_SECRET, VERIFY, "http://127.0.0.1:9")
    handshake = _routes(channel, None)[("/webhook", "GET")]

    def request(**args: str) -> SimpleNamespace:
        return SimpleNamespace(args=args, headers={}, body=b"")

    good = await handshake(
        request(**{"hub.mode": "subscribe", "hub.verify_token": VERIFY, "hub.challenge": "42"})
    )
    assert good.status == 200 and good.body == b"42"
    for args in (
        {"hub.mode": "subscribe", "hub.verify_token": "wrong", "hub.challenge": "42"},
        {"hub.mode": "unsubscribe", "hub.verify_token": VERIFY, "hub.challenge": "42"},
        {"hub.challenge": "42"},
    ):
        assert (await handshake(request(**args))).status == 403


async def test_post_checks_the_signature_then_handles_the_batch(
    fake_graph: FakeGraph, intake_redis: RedisTarget
) -> None:
    channel = MessengerInput("page-token", APP_SECRET, VERIFY, fake_graph.url)
    received: list[Any] = []

    async def on_new_message(message: Any) -> None:
        received.append(message)
        await message.output_channel.send_response(message.sender_id, {"text": "hi"})

    receive = _routes(channel, on_new_message)[("/webhook", "POST")]
    body = json.dumps(batch(text_item("1", "hello"), text_item("2", "สวัสดี"))).encode()
    for header in (None, sign(body, "wrong-secret"), "garbage"):
        headers = {"X-Hub-Signature-256": header} if header else {}
        answer = await receive(SimpleNamespace(headers=headers, body=body))
        assert answer.status == 403
    await channel.worker.join()
    assert received == [] and fake_graph.requests == []

    answer = await receive(SimpleNamespace(headers={"X-Hub-Signature-256": sign(body)}, body=body))
    assert answer.status == 200
    again = await receive(SimpleNamespace(headers={"X-Hub-Signature-256": sign(body)}, body=body))
    assert again.status == 200  # Meta resends the batch: the mids are already stored
    await channel.consumer.run_once(block_ms=50)
    await channel.worker.join()
    assert sorted(m.sender_id for m in received) == ["messenger:1", "messenger:2"]
    assert {s.params["recipient"]["id"] for s in fake_graph.calls("/me/messages")} == {"1", "2"}


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"\xff\xfe",
        b"{",
        b"[1]",
        b"null",
        b'{"object": "page", "entry": [1, null, {"messaging": 5}]}',
        b"[" * 50_000 + b"]" * 50_000,
    ],
)
async def test_post_never_fails_on_bad_bodies(body: bytes, intake_redis: RedisTarget) -> None:
    channel = MessengerInput("page-token", APP_SECRET, VERIFY, "http://127.0.0.1:9")
    receive = _routes(channel, None)[("/webhook", "POST")]
    answer = await receive(SimpleNamespace(headers={"X-Hub-Signature-256": sign(body)}, body=body))
    assert answer.status in (200, 400)


async def no_wait(seconds: float) -> None:
    pass


@pytest.mark.parametrize(
    ("status", "error", "permanent"),
    [
        (400, {"code": 551, "message": "This person isn't available right now."}, True),
        (403, {"code": 200, "message": "Permissions error"}, True),
        (400, {"code": 190, "message": "Invalid OAuth access token."}, False),  # ours to fix
        (500, {"code": 2, "message": "Service temporarily unavailable"}, False),
        (400, {"code": 613, "message": "Calls to this api have exceeded the rate limit."}, False),
    ],
)
async def test_a_refused_reply_is_not_counted_as_delivered(
    fake_graph: FakeGraph, status: int, error: dict[str, Any], permanent: bool
) -> None:
    fake_graph.responder = lambda method, params: (status, {"error": error})
    output = MessengerOutput("page-token", fake_graph.url)
    output.api.sleep = no_wait
    with pytest.raises(DeliveryFailed) as failed:
        await output.send_response("messenger:1", {"text": "the hotlines"})
    assert failed.value.permanent is permanent and output.delivered == 0


async def test_intake_keeps_a_transient_refusal_and_acknowledges_a_permanent_one(
    fake_graph: FakeGraph, intake_redis: RedisTarget, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("bot.channels.intake.RETRY_FIRST", 0.0)
    channel = MessengerInput("page-token", APP_SECRET, VERIFY, fake_graph.url)
    channel.output.api.sleep = no_wait
    runs: list[str] = []

    async def on_new_message(message: Any) -> None:
        runs.append(message.sender_id)
        await message.output_channel.send_response(message.sender_id, {"text": "answer"})

    receive = _routes(channel, on_new_message)[("/webhook", "POST")]

    async def deliver(item: dict[str, Any]) -> None:
        body = json.dumps(batch(item)).encode()
        request = SimpleNamespace(headers={"X-Hub-Signature-256": sign(body)}, body=body)
        assert (await receive(request)).status == 200
        await channel.consumer.run_once(block_ms=50)
        await channel.worker.join()

    fake_graph.responder = lambda method, params: (503, {"error": {"code": 2}})
    await deliver(text_item("1", "hello"))
    assert runs == ["messenger:1"] and Intake("messenger").backlog() == 1  # kept for a retry
    fake_graph.responder = lambda method, params: (200, {"message_id": "m"})
    await channel.consumer.run_once(block_ms=50)
    await channel.worker.join()
    assert runs == ["messenger:1"] * 2 and Intake("messenger").backlog() == 0

    fake_graph.responder = lambda method, params: (400, {"error": {"code": 551}})
    await deliver(text_item("2", "hello"))
    await channel.consumer.run_once(block_ms=50)
    await channel.worker.join()
    assert runs[2:] == ["messenger:2"] and Intake("messenger").backlog() == 0  # never again


@pytest.mark.parametrize("url", ["https://[::1/x.png", "https://a\x00b/x.png"])
async def test_an_invalid_picture_url_is_a_failed_download(url: str) -> None:
    """httpx.InvalidURL is no HTTPError: the message still reaches Rasa, asking for the text."""
    channel = MessengerInput("page-token", APP_SECRET, VERIFY, "http://127.0.0.1:9")
    item = {"sender": {"id": "1"}, "message": {"mid": "m.x", "text": "",
            "attachments": [{"type": "image", "payload": {"url": url}}]}}  # fmt: skip
    received: list[Any] = []

    async def on_new_message(message: Any) -> None:
        received.append(message)

    [event] = parse_events(batch(item))
    await channel.process(event, on_new_message)
    assert len(received) == 1 and received[0].metadata["ocr_status"] == "invalid"
