"""Serves the web chat page and relays its messages to Rasa's REST channel.

The page talks only to this server (same origin), which forwards to Rasa, so Rasa needs no CORS
opening. UI strings of the page come from the gettext catalogs like every other text.

Hostile input: the conversation is the id this server issued in a signed cookie
(:mod:`bot.webchat.session`), never a ``sender`` the browser sends; requests to Rasa carry the
REST channel's secret; text is cut to the input cap; each conversation and each address may send
``WEBCHAT_RATE_PER_MINUTE`` / ``WEBCHAT_RATE_PER_MINUTE_PER_ADDRESS`` messages a minute, beyond
which the answer is a localized "slow down" — except for a cry for help, which always goes
through (silence is never the answer to distress).
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path

import aiohttp
from aiohttp import web

from bot import DEFAULT_LANGUAGE, LANGUAGES
from bot.channels.rest import SECRET_HEADER
from bot.i18n import language_name, t
from bot.limits import cap_message
from bot.triage import triage
from bot.webchat import session
from bot.webchat.limits import (
    DEFAULT_PER_ADDRESS,
    DEFAULT_PER_CONVERSATION,
    RateLimiter,
    limit_from_env,
)

log = logging.getLogger(__name__)
PAGE = Path(__file__).parent / "index.html"
MAX_BODY_BYTES = 64 * 1024  # the text is cut to 4,000 characters anyway
HTTP_KEY: web.AppKey[aiohttp.ClientSession] = web.AppKey("http", aiohttp.ClientSession)


@dataclass
class Settings:
    """What the web chat server needs from the stack."""

    rasa_url: str
    rest_secret: str
    cookie_key: bytes
    per_conversation: int = DEFAULT_PER_CONVERSATION
    per_address: int = DEFAULT_PER_ADDRESS
    secure_cookie: bool = False


def page_strings(language: str) -> dict[str, object]:
    return {
        "language": language,
        "title": t(language, "webchat.title"),
        "placeholder": t(language, "webchat.placeholder"),
        "send": t(language, "webchat.send"),
        "unreachable": t(language, "webchat.unreachable"),
        "privacy": t(language, "webchat.privacy"),
        "languages": [{"code": code, "name": language_name(code)} for code in LANGUAGES],
    }


def page_language(value: object) -> str:
    return value if isinstance(value, str) and value in LANGUAGES else DEFAULT_LANGUAGE


def build_app(settings: Settings) -> web.Application:
    by_conversation = RateLimiter(settings.per_conversation)
    by_address = RateLimiter(settings.per_address)

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
        within = by_conversation.hit(conversation)
        within = by_address.hit(request.remote or "?") and within
        if not within and not triage(text).distress:
            slow = [{"text": t(page_language(language), "webchat.slow_down")}]
            return with_cookie(web.json_response(slow, status=429), chat_id, new)
        payload = {
            "sender": conversation,
            "message": text,
            "metadata": {"language_code": language},
        }
        headers = {SECRET_HEADER: settings.rest_secret}
        try:
            async with request.app[HTTP_KEY].post(
                f"{settings.rasa_url}/webhooks/rest/webhook", json=payload, headers=headers
            ) as response:
                replies = await response.json(content_type=None)
                reply = web.json_response(replies, status=response.status)
        except (aiohttp.ClientError, TimeoutError, json.JSONDecodeError) as exc:
            log.warning("Rasa unreachable from the web chat: %s", type(exc).__name__)
            reply = web.json_response({"error": "assistant unreachable"}, status=502)
        return with_cookie(reply, chat_id, new)

    async def open_session(app: web.Application) -> None:
        app[HTTP_KEY] = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60))

    async def close_session(app: web.Application) -> None:
        await app[HTTP_KEY].close()

    async def image(request: web.Request) -> web.Response:
        """A picture (raw body, 10 MB at most) read with OCR and sent on as the message text."""
        from bot.channels.pictures import read_picture, with_picture_text
        from bot.ocr import MAX_IMAGE_BYTES

        chat_id, new = chat_id_of(request)
        if (request.content_length or 0) > MAX_IMAGE_BYTES:
            return web.json_response({"error": "picture too large"}, status=413)
        data = await request.content.read(MAX_IMAGE_BYTES + 1)
        if len(data) > MAX_IMAGE_BYTES:
            return web.json_response({"error": "picture too large"}, status=413)
        language = page_language(request.query.get("language"))
        # Read first (the OCR queue is bounded), so a picture of a cry for help passes the limits.
        text, metadata = with_picture_text(
            "", {"language_code": language, "has_photo": True}, await read_picture(data, language)
        )
        conversation = session.conversation(chat_id)
        within = by_conversation.hit(conversation)
        within = by_address.hit(request.remote or "?") and within
        if not within and not triage(text).distress:
            slow = [{"text": t(language, "webchat.slow_down")}]
            return with_cookie(web.json_response(slow, status=429), chat_id, new)
        payload = {"sender": conversation, "message": text or "/job_offer", "metadata": metadata}
        try:
            async with request.app[HTTP_KEY].post(
                f"{settings.rasa_url}/webhooks/rest/webhook", json=payload,
                headers={SECRET_HEADER: settings.rest_secret},
            ) as response:
                reply = web.json_response(await response.json(content_type=None),
                                          status=response.status)
        except (aiohttp.ClientError, TimeoutError, json.JSONDecodeError) as exc:
            log.warning("Rasa unreachable from the web chat: %s", type(exc).__name__)
            reply = web.json_response({"error": "assistant unreachable"}, status=502)
        return with_cookie(reply, chat_id, new)

    app = web.Application(client_max_size=MAX_BODY_BYTES)
    app.router.add_post("/api/image", image)
    app.router.add_get("/", index)
    app.router.add_get("/api/strings", strings)
    app.router.add_post("/api/message", message)
    app.on_startup.append(open_session)
    app.on_cleanup.append(close_session)
    return app


def settings_from_env(rasa_url: str, rest_secret: str, run_dir: Path) -> Settings:
    return Settings(
        rasa_url=rasa_url,
        rest_secret=rest_secret,
        cookie_key=session.cookie_key(run_dir),
        per_conversation=limit_from_env("WEBCHAT_RATE_PER_MINUTE", DEFAULT_PER_CONVERSATION),
        per_address=limit_from_env("WEBCHAT_RATE_PER_MINUTE_PER_ADDRESS", DEFAULT_PER_ADDRESS),
        secure_cookie=os.environ.get("WEBCHAT_SECURE_COOKIE", "").lower() in ("1", "true", "yes"),
    )


async def start_webchat(
    host: str, port: int, rasa_url: str, rest_secret: str, run_dir: Path
) -> web.AppRunner:
    app = build_app(settings_from_env(rasa_url, rest_secret, run_dir))
    runner = web.AppRunner(app, access_log=None)  # no user data in access logs
    await runner.setup()
    await web.TCPSite(runner, host, port).start()
    return runner
