"""Serves the web chat page and relays its messages to Rasa's REST channel.

The page talks only to this server (same origin), which forwards to Rasa, so Rasa needs no CORS
opening. UI strings of the page come from the gettext catalogs like every other text.

Hostile input: the conversation is the id this server issued in a signed cookie
(:mod:`bot.webchat.session`), never a ``sender`` the browser sends; requests to Rasa carry the
REST channel's secret; text is cut to the input cap; each conversation and each address may send
``WEBCHAT_RATE_PER_MINUTE`` / ``WEBCHAT_RATE_PER_MINUTE_PER_ADDRESS`` messages a minute, beyond
which the answer is a localized "slow down" — except for a cry for help, which always goes
through (silence is never the answer to distress).

When Rasa cannot answer (down, restarting, an error, or an empty list because Redis or the
action server is down), the page still gets an answer: the degraded reply of
:mod:`bot.channels.degraded` (hotlines for a cry for help, else "try again in a few minutes"),
marked ``"degraded": true``. The page has no store of its own: the person sends again later.

Caseworker replies (:mod:`bot.webchat.replies`): the open page asks ``GET /api/replies`` every
few seconds and gets only the replies of the conversation in its cookie. Without a Redis store
(``Settings.store`` None) the page is told there is nothing, and the chat works as before.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import aiohttp
from aiohttp import web

from bot import DEFAULT_LANGUAGE, LANGUAGES, settings, storage
from bot.casework.cases import CaseStore
from bot.channels.degraded import degraded_reply
from bot.channels.rest import SECRET_HEADER
from bot.engines.triage import triage
from bot.i18n import language_name, t
from bot.limits import cap_message
from bot.redis_server import RedisTarget
from bot.webchat import session
from bot.webchat.limits import (
    DEFAULT_PER_ADDRESS,
    DEFAULT_PER_CONVERSATION,
    RateLimiter,
    limit_from_env,
)
from bot.webchat.replies import (
    POLL_SECONDS,
    chat_opened,
    person_wrote,
    shown,
    waiting_for_page,
)

log = logging.getLogger(__name__)
T = TypeVar("T")
PAGE = Path(__file__).parent / "index.html"
MAX_BODY_BYTES = 64 * 1024  # the text is cut to 4,000 characters anyway
HTTP_KEY: web.AppKey[aiohttp.ClientSession] = web.AppKey("http", aiohttp.ClientSession)
#: Asks for caseworker replies a conversation may make a minute (the page asks 20 times).
POLLS_PER_MINUTE = 40


@dataclass
class Settings:
    """What the web chat server needs from the stack."""

    rasa_url: str
    rest_secret: str
    cookie_key: bytes
    per_conversation: int = DEFAULT_PER_CONVERSATION
    per_address: int = DEFAULT_PER_ADDRESS
    secure_cookie: bool = False
    store: CaseStore | None = None  # caseworker replies and the reply window (Redis)


def page_strings(language: str) -> dict[str, object]:
    return {
        "language": language,
        "title": t(language, "webchat.title"),
        "placeholder": t(language, "webchat.placeholder"),
        "send": t(language, "webchat.send"),
        "unreachable": t(language, "webchat.unreachable"),
        "privacy": t(language, "webchat.privacy"),
        "poll_seconds": POLL_SECONDS,
        "languages": [{"code": code, "name": language_name(code)} for code in LANGUAGES],
    }


def page_language(value: object) -> str:
    return value if isinstance(value, str) and value in LANGUAGES else DEFAULT_LANGUAGE


def build_app(settings: Settings) -> web.Application:
    by_conversation = RateLimiter(settings.per_conversation)
    by_address = RateLimiter(settings.per_address)
    polls = RateLimiter(POLLS_PER_MINUTE)

    async def with_store(what: str, work: Callable[[CaseStore], T], default: T) -> T:
        """Run ``work`` on the store in a thread; Redis trouble never stops the chat."""
        if settings.store is None:
            return default
        try:
            return await asyncio.to_thread(work, settings.store)
        except Exception as exc:  # noqa: BLE001 - the conversation goes on without it
            log.warning("web chat: could not %s (%s)", what, type(exc).__name__)
            return default

    def chat_id_of(request: web.Request) -> tuple[str, bool]:
        """The request's chat id and whether it is new (no valid signed cookie)."""
        known = session.verify(settings.cookie_key, request.cookies.get(session.COOKIE))
        return (known, False) if known else (session.new_chat_id(), True)

    def with_cookie(response: web.Response, chat_id: str, new: bool) -> web.Response:
        if new:
            response.set_cookie(
                session.COOKIE, session.sign(settings.cookie_key, chat_id), httponly=True,
                samesite="Strict", path="/", secure=settings.secure_cookie or None,
            )
        return response

    async def index(request: web.Request) -> web.Response:
        chat_id, new = chat_id_of(request)
        if not new:
            conversation = session.conversation(chat_id)
            await with_store("open the chat", lambda s: chat_opened(s, conversation), None)
        page = web.Response(text=PAGE.read_text(encoding="utf-8"), content_type="text/html")
        page.headers["Cache-Control"] = "no-store"
        return with_cookie(page, chat_id, new)

    async def strings(request: web.Request) -> web.Response:
        return web.json_response(page_strings(page_language(request.query.get("lang"))))

    async def message(request: web.Request) -> web.Response:
        chat_id, new = chat_id_of(request)
        try:
            body = await request.json()
            text = body["message"]
        except (json.JSONDecodeError, KeyError, TypeError, UnicodeDecodeError):
            return web.json_response({"error": "expected {message}"}, status=400)
        if not isinstance(text, str):
            return web.json_response({"error": "message must be a string"}, status=400)
        text = cap_message(text)
        language = str(body.get("language") or "")[:16]
        conversation = session.conversation(chat_id)
        await with_store("open the window", lambda s: person_wrote(s, conversation), None)
        within = by_conversation.hit(conversation)
        within = by_address.hit(request.remote or "?") and within
        if not within and not triage(text).reaches_out:
            slow = [{"text": t(page_language(language), "webchat.slow_down")}]
            return with_cookie(web.json_response(slow, status=429), chat_id, new)
        metadata = {"language_code": language}
        replies = await ask_rasa(request, conversation, text, metadata, language)
        return with_cookie(web.json_response(replies), chat_id, new)

    async def ask_rasa(
        request: web.Request, conversation: str, text: str, metadata: dict, language: str
    ) -> list[dict]:
        """Rasa's replies; when it gives none, the channel layer's own degraded answer."""
        payload = {"sender": conversation, "message": text, "metadata": metadata}
        headers = {SECRET_HEADER: settings.rest_secret}
        try:
            async with request.app[HTTP_KEY].post(
                f"{settings.rasa_url}/webhooks/rest/webhook", json=payload, headers=headers
            ) as response:
                replies = await response.json(content_type=None)
                if response.status == 200 and isinstance(replies, list) and replies:
                    return replies
                log.warning("Rasa gave no answer to the web chat (HTTP %s)", response.status)
        except (aiohttp.ClientError, asyncio.TimeoutError, json.JSONDecodeError) as exc:
            log.warning("Rasa unreachable from the web chat: %s", type(exc).__name__)
        # Never silence, never an empty 200: the channel layer answers on its own.
        reply = degraded_reply(text, language or None)
        return [{"recipient_id": conversation, "text": reply, "degraded": True}]

    async def caseworker_replies(request: web.Request) -> web.StreamResponse:
        """The replies waiting for this page's conversation (from its cookie, never the query)."""
        chat_id = session.verify(settings.cookie_key, request.cookies.get(session.COOKIE))
        if chat_id is None:
            return web.json_response([])
        conversation = session.conversation(chat_id)
        if not polls.hit(conversation):
            return web.json_response([], status=429)
        texts = await with_store(
            "read the replies", lambda s: waiting_for_page(s, conversation), []
        )
        response = web.json_response([{"text": text, "caseworker": True} for text in texts])
        response.headers["Cache-Control"] = "no-store"
        if texts:  # written to the page first, only then out of the outbox
            await response.prepare(request)
            await response.write_eof()
            await with_store("update the outbox", lambda s: shown(s, conversation, texts), None)
        return response

    async def open_session(app: web.Application) -> None:
        app[HTTP_KEY] = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60))

    async def close_session(app: web.Application) -> None:
        await app[HTTP_KEY].close()

    async def image(request: web.Request) -> web.Response:
        """A picture (raw body, 10 MB at most) read with OCR and sent on as the message text."""
        from bot.channels.pictures import read_picture, with_picture_text
        from bot.engines.ocr import MAX_IMAGE_BYTES

        chat_id, new = chat_id_of(request)
        if (request.content_length or 0) > MAX_IMAGE_BYTES:
            return web.json_response({"error": "picture too large"}, status=413)
        chunks, size = [], 0
        async for chunk in request.content.iter_chunked(64 * 1024):  # the whole body, bounded
            size += len(chunk)
            if size > MAX_IMAGE_BYTES:
                return web.json_response({"error": "picture too large"}, status=413)
            chunks.append(chunk)
        data = b"".join(chunks)
        language = page_language(request.query.get("language"))
        # Read first (the OCR queue is bounded), so a picture of a cry for help passes the limits.
        text, metadata = with_picture_text(
            "", {"language_code": language, "has_photo": True}, await read_picture(data, language)
        )
        conversation = session.conversation(chat_id)
        within = by_conversation.hit(conversation)
        within = by_address.hit(request.remote or "?") and within
        if not within and not triage(text).reaches_out:
            slow = [{"text": t(language, "webchat.slow_down")}]
            return with_cookie(web.json_response(slow, status=429), chat_id, new)
        replies = await ask_rasa(request, conversation, text or "/job_offer", metadata, language)
        return with_cookie(web.json_response(replies), chat_id, new)

    app = web.Application(client_max_size=MAX_BODY_BYTES)
    app.router.add_post("/api/image", image)
    app.router.add_get("/", index)
    app.router.add_get("/api/strings", strings)
    app.router.add_post("/api/message", message)
    app.router.add_get("/api/replies", caseworker_replies)
    app.on_startup.append(open_session)
    app.on_cleanup.append(close_session)
    return app


def settings_from_env(
    rasa_url: str, rest_secret: str, run_dir: Path, redis_target: RedisTarget | None = None
) -> Settings:
    store = CaseStore(storage.client("request", redis_target)) if redis_target else None
    return Settings(
        rasa_url=rasa_url,
        rest_secret=rest_secret,
        cookie_key=session.cookie_key(run_dir),
        per_conversation=limit_from_env("WEBCHAT_RATE_PER_MINUTE", DEFAULT_PER_CONVERSATION),
        per_address=limit_from_env("WEBCHAT_RATE_PER_MINUTE_PER_ADDRESS", DEFAULT_PER_ADDRESS),
        secure_cookie=settings.flag("WEBCHAT_SECURE_COOKIE"),
        store=store,
    )


async def start_webchat(
    host: str,
    port: int,
    rasa_url: str,
    rest_secret: str,
    run_dir: Path,
    redis_target: RedisTarget | None = None,
) -> web.AppRunner:
    app = build_app(settings_from_env(rasa_url, rest_secret, run_dir, redis_target))
    runner = web.AppRunner(app, access_log=None)  # no user data in access logs
    await runner.setup()
    await web.TCPSite(runner, host, port).start()
    return runner
