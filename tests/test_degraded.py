"""Degraded mode outside the webhooks: the web chat without Rasa, and polling never dropping."""

from __future__ import annotations

from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from bot.commands.telegram import forward_update
from bot.i18n import t
from bot.ports import free_port
from bot.webchat.server import Settings, build_app


async def _client(rasa_url: str) -> TestClient:
    settings = Settings(rasa_url=rasa_url, rest_secret="s", cookie_key=b"k" * 32)
    client = TestClient(TestServer(build_app(settings)))
    await client.start_server()
    return client


async def test_web_chat_answers_when_rasa_is_down() -> None:
    client = await _client(f"http://127.0.0.1:{free_port()}")  # nobody listens there
    try:
        help_me = {"sender": "w1", "message": "ช่วยด้วย โดนขังอยู่ ออกไปไม่ได้", "language": "th"}
        replies = await (await client.post("/api/message", json=help_me)).json()
        assert replies[0]["degraded"] is True and any(ch.isdigit() for ch in replies[0]["text"])
        hello = {"sender": "w1", "message": "hello", "language": "en"}
        response = await client.post("/api/message", json=hello)
        assert response.status == 200
        assert (await response.json())[0]["text"] == t("en", "degraded.unavailable")
    finally:
        await client.close()


async def test_web_chat_never_returns_an_empty_list() -> None:
    async def empty(request: web.Request) -> web.Response:
        return web.json_response([])  # what Rasa gave while Redis was down

    rasa = web.Application()
    rasa.router.add_post("/webhooks/rest/webhook", empty)
    server = TestServer(rasa)
    await server.start_server()
    client = await _client(str(server.make_url("")).rstrip("/"))
    try:
        replies = await (await client.post("/api/message", json={"sender": "w2", "message": "hi"})
                         ).json()  # fmt: skip
        assert replies and replies[0]["text"] == t("en", "degraded.unavailable")
    finally:
        await client.close()
        await server.close()


class Reply:
    def __init__(self, status: int) -> None:
        self.status_code = status


class FlakyWebhook:
    """503 (Redis down), no answer (stack restarting), then 200."""

    def __init__(self) -> None:
        self.calls = 0

    async def post(self, url: str, **kwargs: Any) -> Reply:
        self.calls += 1
        if self.calls <= 6:
            return Reply(503)
        if self.calls <= 9:
            raise ConnectionError("refused")
        return Reply(200)


async def test_polling_tries_an_update_until_the_webhook_takes_it() -> None:
    webhook, waits = FlakyWebhook(), []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    url = "http://x/webhooks/telegram/webhook"
    await forward_update(webhook, url, "s", {"update_id": 1}, sleep)
    assert webhook.calls == 10  # the old code gave up after 5
    assert waits == [1, 2, 3, 4, 5, 6, 7, 8, 9]


def test_degraded_code_word_makes_no_promise_and_help_buttons_get_contacts() -> None:
    from bot.channels.degraded import degraded_reply

    unavailable = t("en", "degraded.unavailable")
    # No case can be opened now: "noted" would be a promise nobody keeps.
    assert degraded_reply("blue umbrella", "en") == unavailable
    assert degraded_reply("blue umbrella please, they took my passport", "en") == unavailable
    for payload in ("/need_help", '/need_help{"country": "TH"}'):
        reply = degraded_reply(payload, "en")
        assert reply != unavailable and any(ch.isdigit() for ch in reply), payload


def test_degraded_cry_from_a_place_without_lines_still_gets_contacts() -> None:
    """Dubai has no lines of its own: the contacts for an unknown place, never "try later"."""
    from bot.channels.degraded import degraded_reply
    from bot.engines.hotlines import contacts_for, hotlines_for

    assert not hotlines_for("AE", None, emergency=False) and contacts_for("AE", None, False)
    reply = degraded_reply('/need_help{"country": "AE"}', "en")
    assert reply != t("en", "degraded.unavailable") and any(ch.isdigit() for ch in reply)


async def test_a_picture_is_read_whole_and_answered_when_rasa_is_down() -> None:
    client = await _client(f"http://127.0.0.1:{free_port()}")  # nobody listens there
    try:
        body = b"\x89PNG" + bytes(300_000)  # several chunks; not a real picture
        response = await client.post("/api/image?language=en", data=body)
        assert response.status == 200
        replies = await response.json()
        assert replies and replies[0]["degraded"] is True
        too_big = await client.post("/api/image", data=bytes(11 * 1024 * 1024))
        assert too_big.status == 413
    finally:
        await client.close()
