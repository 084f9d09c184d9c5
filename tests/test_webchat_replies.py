"""Caseworker replies in the web chat: to the right page only, and the operators told the truth.

The web chat server is real (aiohttp over loopback HTTP) with a real Redis; the caseworker's side
is :func:`casework.operators.handle` with the web page sender the Rasa server registers for ``web:``
conversations. Rasa itself is not needed: the page's cookie alone names the conversation.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.casework import operators
from bot.casework.cases import Case, CaseStore, new_case_id
from bot.i18n import t
from bot.redis_server import RedisTarget
from bot.webchat import replies, session
from bot.webchat.server import Settings, build_app

KEY = b"r" * 32


@pytest.fixture
def store(redis_target: RedisTarget) -> CaseStore:
    client = redis_target.client()
    client.flushdb()
    return CaseStore(client)


@pytest.fixture
async def server(store: CaseStore) -> AsyncIterator[TestServer]:
    settings = Settings(rasa_url="http://127.0.0.1:9", rest_secret="s", cookie_key=KEY, store=store)
    async with TestServer(build_app(settings)) as test_server:
        yield test_server


async def open_page(server: TestServer) -> tuple[TestClient, str]:
    """A browser that opened the chat: its client and its conversation id."""
    client = TestClient(server)
    await client.start_server()
    await client.get("/")
    cookie = client.session.cookie_jar.filter_cookies(client.make_url("/"))[session.COOKIE]
    chat_id = session.verify(KEY, cookie.value)
    assert chat_id
    return client, session.conversation(chat_id)


def web_case(conversation: str, store: CaseStore) -> Case:
    case = Case(id=new_case_id(), channel=replies.STORE_CHANNEL, sender_id=conversation,
                language="th", country="MM", nationality="TH", severity="urgent",
                signals=["CONFINEMENT"])  # fmt: skip
    store.create(case)
    return case


async def operator_replies(store: CaseStore, case: Case, text: str) -> str | None:
    async def to_page(target: Case, message: str) -> None:
        await replies.send_to_page(store, target.sender_id, message, wait=3)

    return await operators.handle(store, f"/reply {case.id} {text}", None, to_page)


async def poll(client: TestClient) -> list[str]:
    response = await client.get("/api/replies")
    assert response.status == 200
    return [m["text"] for m in await response.json()]


async def outbox_settles(store: CaseStore, conversation: str, seconds: float = 3.0) -> list[str]:
    """The outbox once the server has taken shown replies out of it.

    The server pops a reply only after the response carrying it was written, so the client can
    read the response a moment before the pop: wait for it (bounded) instead of racing it.
    """
    deadline = asyncio.get_running_loop().time() + seconds
    while True:
        waiting = store.peek_outbox(replies.STORE_CHANNEL, conversation)
        if not waiting or asyncio.get_running_loop().time() > deadline:
            return waiting
        await asyncio.sleep(0.05)


async def keep_polling(client: TestClient, seen: list[str], rounds: int = 30) -> None:
    for _ in range(rounds):
        seen += await poll(client)
        await asyncio.sleep(0.1)


async def test_a_live_reply_reaches_the_open_page_only(
    server: TestServer, store: CaseStore
) -> None:
    person, conversation = await open_page(server)
    other, _ = await open_page(server)
    try:
        await person.post("/api/message", json={"message": "ช่วยด้วย"})  # the window opens
        case = web_case(conversation, store)
        assert await poll(person) == []  # the page is open
        seen: list[str] = []
        polling = asyncio.create_task(keep_polling(person, seen))
        answer = await operator_replies(store, case, "เราจะช่วยคุณ")
        await polling
        assert answer == t("en", "operators.delivered", case_id=case.id)
        assert len(seen) == 1 and "เราจะช่วยคุณ" in seen[0]
        assert store.peek_outbox(replies.STORE_CHANNEL, conversation) == []  # gone once shown
        assert await poll(other) == []  # another browser never sees it
        assert await poll(person) == []  # and it is shown once
    finally:
        await person.close()
        await other.close()


async def test_no_open_page_queues_until_the_chat_is_opened(
    server: TestServer, store: CaseStore
) -> None:
    person, conversation = await open_page(server)
    try:
        await person.post("/api/message", json={"message": "ช่วยด้วย"})
        case = web_case(conversation, store)
        answer = await operator_replies(store, case, "โทรหาเราได้")  # no poll: the page is closed
        assert answer == t("en", "operators.queued_webchat", case_id=case.id)
        assert len(store.peek_outbox(replies.STORE_CHANNEL, conversation)) == 1  # queued once
        await person.get("/")  # the person opens the chat again
        shown = await poll(person)
        assert len(shown) == 1 and "โทรหาเราได้" in shown[0]
        assert await outbox_settles(store, conversation) == []
    finally:
        await person.close()


async def test_outside_the_reply_window_a_reply_waits_for_the_person(
    server: TestServer, store: CaseStore
) -> None:
    person, conversation = await open_page(server)
    try:
        case = web_case(conversation, store)  # the person has not written (or long ago)
        answer = await operator_replies(store, case, "สวัสดี")
        assert answer == t("en", "operators.queued_webchat", case_id=case.id)
        assert await poll(person) == []  # an idle open page is not written to first
        await person.post("/api/message", json={"message": "ยังอยู่ไหม"})
        shown = await poll(person)
        assert len(shown) == 1 and "สวัสดี" in shown[0]
    finally:
        await person.close()


async def test_only_the_signed_cookie_names_the_conversation(
    server: TestServer, store: CaseStore
) -> None:
    person, conversation = await open_page(server)
    stranger = TestClient(server)
    await stranger.start_server()
    try:
        await person.post("/api/message", json={"message": "help"})
        web_case(conversation, store)
        store.queue_for_user(replies.STORE_CHANNEL, conversation, ["for the person only"])
        chat_id = conversation.removeprefix("web:")
        forged = f"{chat_id}.not-our-signature"
        for cookies in ({}, {session.COOKIE: forged}, {session.COOKIE: chat_id}):
            response = await stranger.get(
                f"/api/replies?sender={conversation}", cookies=cookies  # type: ignore[arg-type]
            )
            assert await response.json() == []
        assert store.peek_outbox(replies.STORE_CHANNEL, conversation) == ["for the person only"]
        assert await poll(person) == ["for the person only"]
    finally:
        await person.close()
        await stranger.close()


async def test_without_redis_the_page_still_works() -> None:
    broken = CaseStore(RedisTarget("127.0.0.1", 9).client(socket_timeout=0.5))
    settings = Settings(rasa_url="http://127.0.0.1:9", rest_secret="s", cookie_key=KEY,
                        store=broken)  # fmt: skip
    async with TestServer(build_app(settings)) as test_server:
        person, _ = await open_page(test_server)
        try:
            assert await poll(person) == []
        finally:
            await person.close()
