"""Serves the web chat page and relays its messages to Rasa's REST channel.

The page talks only to this server (same origin), which forwards to Rasa, so Rasa needs no CORS
opening. UI strings of the page come from the gettext catalogs like every other text.

When Rasa cannot answer (down, restarting, an error, or an empty list because Redis or the
action server is down), the page still gets an answer: the degraded reply of
:mod:`bot.channels.degraded` (hotlines for a cry for help, else "try again in a few minutes"),
marked ``"degraded": true``. The page has no store of its own: the person sends again later.
"""

from __future__ import annotations

import asyncio
import json
import logging
from pathlib import Path

import aiohttp
from aiohttp import web

from bot import DEFAULT_LANGUAGE, LANGUAGES
from bot.channels.degraded import degraded_reply
from bot.i18n import language_name, t

log = logging.getLogger(__name__)
PAGE = Path(__file__).parent / "index.html"
MAX_MESSAGE_CHARS = 20_000


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


def build_app(rasa_url: str) -> web.Application:
    async def index(request: web.Request) -> web.Response:
        return web.Response(text=PAGE.read_text(encoding="utf-8"), content_type="text/html")

    async def strings(request: web.Request) -> web.Response:
        language = request.query.get("lang", DEFAULT_LANGUAGE)
        if language not in LANGUAGES:
            language = DEFAULT_LANGUAGE
        return web.json_response(page_strings(language))

    async def message(request: web.Request) -> web.Response:
        try:
            body = await request.json()
            sender = str(body["sender"])[:64]
            text = str(body["message"])[:MAX_MESSAGE_CHARS]
        except (json.JSONDecodeError, KeyError, TypeError, UnicodeDecodeError):
            return web.json_response({"error": "expected {sender, message}"}, status=400)
        metadata = {"language_code": str(body.get("language") or "")[:16]}
        payload = {"sender": sender, "message": text, "metadata": metadata}
        try:
            async with request.app["http"].post(
                f"{rasa_url}/webhooks/rest/webhook", json=payload
            ) as response:
                replies = await response.json(content_type=None)
                if response.status == 200 and isinstance(replies, list) and replies:
                    return web.json_response(replies)
                log.warning("Rasa gave no answer to the web chat (HTTP %s)", response.status)
        except (aiohttp.ClientError, asyncio.TimeoutError, json.JSONDecodeError) as exc:
            log.warning("Rasa unreachable from the web chat: %s", type(exc).__name__)
        # Never silence, never an empty 200: the channel layer answers on its own.
        reply = degraded_reply(text, metadata["language_code"] or None)
        return web.json_response([{"recipient_id": sender, "text": reply, "degraded": True}])

    async def open_session(app: web.Application) -> None:
        app["http"] = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60))

    async def close_session(app: web.Application) -> None:
        await app["http"].close()

    app = web.Application(client_max_size=256 * 1024)
    app.router.add_get("/", index)
    app.router.add_get("/api/strings", strings)
    app.router.add_post("/api/message", message)
    app.on_startup.append(open_session)
    app.on_cleanup.append(close_session)
    return app


async def start_webchat(host: str, port: int, rasa_url: str) -> web.AppRunner:
    runner = web.AppRunner(build_app(rasa_url), access_log=None)  # no user data in access logs
    await runner.setup()
    await web.TCPSite(runner, host, port).start()
    return runner
