"""The web chat server: its own ids in signed cookies, the REST secret, limits, the input cap.

The server under test is real and talks real HTTP; Rasa is stood in for by a small recording
server here (the whole stack with real Rasa is in tests/test_stack.py).
"""

from __future__ import annotations

import stat
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from bot.channels.rest import SECRET_HEADER
from bot.i18n import t
from bot.limits import MAX_MESSAGE_CHARS
from bot.webchat import session
from bot.webchat.server import Settings, build_app

SECRET = "rest-secret-for-tests"
KEY = b"k" * 32
DISTRESS = "ช่วยด้วย โดนขังอยู่ ออกไปไม่ได้ ยึดพาสปอร์ต"


class Upstream:
    """Records what reaches "Rasa" and answers one text."""

    def __init__(self) -> None:
        self.received: list[tuple[dict[str, Any], str | None]] = []

    async def handle(self, request: web.Request) -> web.Response:
        self.received.append((await request.json(), request.headers.get(SECRET_HEADER)))
        return web.json_response([{"text": "ok"}])


@pytest.fixture
async def upstream() -> AsyncIterator[tuple[Upstream, str]]:
    recorder = Upstream()
    app = web.Application()
    app.router.add_post("/webhooks/rest/webhook", recorder.handle)
    async with TestServer(app) as server:
        yield recorder, str(server.make_url("")).rstrip("/")


async def chat_client(url: str, **limits: int) -> TestClient:
    settings = Settings(rasa_url=url, rest_secret=SECRET, cookie_key=KEY, **limits)
    client = TestClient(TestServer(build_app(settings)))
    await client.start_server()
    return client


def jar_id(client: TestClient) -> str | None:
    cookie = client.session.cookie_jar.filter_cookies(client.make_url("/")).get(session.COOKIE)
    return session.verify(KEY, cookie.value) if cookie else None


async def test_the_browser_cannot_name_its_conversation(upstream: tuple[Upstream, str]) -> None:
    recorder, url = upstream
    client = await chat_client(url)
    try:
        page = await client.get("/")
        header = page.headers["Set-Cookie"]
        assert "HttpOnly" in header and "SameSite=Strict" in header
        issued = jar_id(client)
        assert issued and len(issued) >= 32  # 192 random bits
        for forged in ("telegram:4242", "4242", "web:someone-else"):
            response = await client.post("/api/message", json={"sender": forged, "message": "hi"})
            assert response.status == 200
        senders = {body["sender"] for body, _ in recorder.received}
        assert senders == {f"web:{issued}"}  # the cookie's id, every time
        assert {secret for _, secret in recorder.received} == {SECRET}
    finally:
        await client.close()


async def test_a_tampered_cookie_gets_a_new_id(upstream: tuple[Upstream, str]) -> None:
    recorder, url = upstream
    client = await chat_client(url)
    try:
        victim = "victims-id-0123456789abcdef0123456789"
        forged = f"{victim}.{'A' * 43}"  # the right shape, a wrong signature
        client.session.cookie_jar.update_cookies({session.COOKIE: forged})
        response = await client.post("/api/message", json={"message": "hi"})
        assert response.status == 200
        sent = recorder.received[-1][0]["sender"]
        assert sent != f"web:{victim}" and sent.startswith("web:")
        assert session.COOKIE in response.cookies  # a fresh signed id replaces it
        assert session.verify(KEY, response.cookies[session.COOKIE].value) == sent[4:]
    finally:
        await client.close()


async def test_over_the_limit_slow_down_but_distress_always_passes(
    upstream: tuple[Upstream, str],
) -> None:
    recorder, url = upstream
    client = await chat_client(url, per_conversation=3, per_address=100)
    try:
        for _ in range(3):
            assert (await client.post("/api/message", json={"message": "hi"})).status == 200
        slow = await client.post("/api/message", json={"message": "hi", "language": "th"})
        assert slow.status == 429
        assert await slow.json() == [{"text": t("th", "webchat.slow_down")}]
        assert len(recorder.received) == 3
        distress = await client.post("/api/message", json={"message": DISTRESS})
        assert distress.status == 200 and await distress.json() == [{"text": "ok"}]
        assert recorder.received[-1][0]["message"] == DISTRESS
    finally:
        await client.close()


async def test_the_address_limit_spans_conversations(upstream: tuple[Upstream, str]) -> None:
    _, url = upstream
    client = await chat_client(url, per_conversation=100, per_address=4)
    try:
        statuses = []
        for _ in range(6):
            client.session.cookie_jar.clear()  # a new conversation each time
            statuses.append((await client.post("/api/message", json={"message": "hi"})).status)
        assert statuses == [200] * 4 + [429] * 2
    finally:
        await client.close()


async def test_long_text_is_cut_and_bad_bodies_are_refused(upstream: tuple[Upstream, str]) -> None:
    recorder, url = upstream
    client = await chat_client(url)
    try:
        response = await client.post("/api/message", json={"message": "a" * 10_000})
        assert response.status == 200
        assert len(recorder.received[-1][0]["message"]) == MAX_MESSAGE_CHARS
        for body in ({"nothing": 1}, {"message": 12}, ["x"]):
            assert (await client.post("/api/message", json=body)).status == 400
        huge = await client.post("/api/message", data=b"x" * 200_000)
        assert huge.status == 413
    finally:
        await client.close()


def test_cookie_key_is_kept_private_across_restarts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("WEBCHAT_COOKIE_SECRET", raising=False)
    first = session.cookie_key(tmp_path)
    assert session.cookie_key(tmp_path) == first  # a restart keeps the sessions
    mode = (tmp_path / session.KEY_FILE).stat().st_mode
    assert stat.S_IMODE(mode) == 0o600
    monkeypatch.setenv("WEBCHAT_COOKIE_SECRET", "from-the-environment")
    assert session.cookie_key(tmp_path) == b"from-the-environment"
    value = session.sign(first, "abc")
    assert session.verify(first, value) == "abc"
    assert session.verify(b"another key", value) is None
    assert session.verify(first, "abc") is None and session.verify(first, None) is None
