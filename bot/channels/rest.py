"""Rasa's REST channel, guarded: only the stack itself (the web chat server, local scripts).

Rasa listens on ``BOT_BIND_HOST``, which must be public when Telegram or Messenger post their
webhooks to it; the plain REST channel would then let anyone name any conversation. This
subclass (still named ``rest``, at ``/webhooks/rest/webhook``) requires the header
``X-Safejobs-Rest-Secret`` equal to ``REST_CHANNEL_SECRET`` (made up by the stack at each start
unless set), and refuses everything when no secret is set. It also keeps ids in their lane: a
sender of another channel (``telegram:…``, ``messenger:…``) is refused, a bare one becomes
``rest:<id>``, the input channel is always ``rest`` whatever the body says, only the language
hint (and the web chat's mark of text read from a picture) passes as metadata, and the text is
cut to the input cap.

Caseworker replies to web chat conversations (``web:<id>``) are registered here, as this is the
channel the web chat reaches Rasa through: they go to the person's open page
(:mod:`bot.webchat.replies`).
"""

from __future__ import annotations

import logging
import os
from typing import Any

from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request

from bot.channels.casework import casework
from bot.channels.common import secret_matches
from bot.identity import REST, WEB, channel_of, conversation_id
from bot.limits import cap_message
from bot.webchat.replies import send_to_page

logger = logging.getLogger(__name__)

SECRET_HEADER = "X-Safejobs-Rest-Secret"
SECRET_VARIABLE = "REST_CHANNEL_SECRET"
#: Conversation ids this channel may carry as they are: its own and the web chat's.
OWN_CHANNELS = (REST, WEB)
MAX_SENDER_CHARS = 128


class RefusedSender(ValueError):
    """A sender id this channel must not use (another channel's, empty or too long)."""


def rest_sender(raw: Any) -> str:
    """The conversation id for a REST ``sender``: ``web:``/``rest:`` ids kept, bare ids prefixed."""
    if not isinstance(raw, (str, int)) or isinstance(raw, bool):
        raise RefusedSender("sender must be a string")
    sender = str(raw).strip()
    if not sender or len(sender) > MAX_SENDER_CHARS:
        raise RefusedSender("sender must be 1-128 characters")
    channel = channel_of(sender)
    if channel in OWN_CHANNELS:
        return sender
    if channel is not None or ":" in sender:
        raise RefusedSender("sender belongs to another channel")
    return conversation_id(REST, sender)


async def send_to_web_page(recipient_id: str, text: str) -> None:
    """A caseworker's reply to a web chat user: to their open page, else kept for it."""
    await send_to_page(casework.store, recipient_id, text)


def refuse_unauthorised(request: Request, secret: str) -> tuple[Any, dict | None]:
    """(a 403/400 answer, None) for a POST without the secret or a JSON object; (None, body) for
    a POST that passes; (None, None) for anything else (health checks stay open)."""
    if request.method != "POST":
        return None, None
    if not secret_matches(request.headers.get(SECRET_HEADER), secret):
        return response.json({"error": "forbidden"}, status=403), None
    try:
        body = request.json
    except Exception:  # noqa: BLE001 - Sanic raises its own BadRequest on bad JSON
        body = None
    if not isinstance(body, dict):
        return response.json({"error": "expected a JSON object"}, status=400), None
    return None, body


class GuardedRestInput(RestInput):
    """The REST channel behind a shared secret; see the module docstring."""

    @classmethod
    def name(cls) -> str:
        return REST

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> GuardedRestInput:
        return cls((os.environ.get(SECRET_VARIABLE) or "").strip())

    def __init__(self, secret: str = "") -> None:
        self.secret = secret
        casework.register(WEB, send_to_web_page)
        if not secret:
            logger.warning("REST channel: %s is not set, every request is refused", SECRET_VARIABLE)

    async def _extract_sender(self, req: Request) -> str | None:
        return rest_sender((req.json or {}).get("sender"))

    def _extract_message(self, req: Request) -> str | None:
        return cap_message((req.json or {}).get("message"))

    def _extract_input_channel(self, req: Request) -> str:
        return REST  # never what the body claims: actions key cases and erasure on it

    def get_metadata(self, request: Request) -> dict[str, Any] | None:
        metadata = (request.json or {}).get("metadata")
        if not isinstance(metadata, dict):
            return None
        kept: dict[str, Any] = {}
        code = metadata.get("language_code")
        if isinstance(code, str) and code:
            kept["language_code"] = code[:16]
        # What the web chat read from a picture (the offer check says so in its reply).
        if metadata.get("ocr") is True:
            kept["ocr"] = True
            chars = metadata.get("ocr_chars")
            kept["ocr_chars"] = chars if isinstance(chars, int) and 0 <= chars <= 100_000 else 0
        return kept or None

    def blueprint(self, on_new_message: Any) -> Blueprint:
        inner = super().blueprint(on_new_message)
        secret = self.secret

        @inner.on_request
        async def guard(request: Request) -> Any:
            refused, body = refuse_unauthorised(request, secret)  # the health check stays open
            if refused is not None or body is None:
                return refused
            try:
                rest_sender(body.get("sender"))
            except RefusedSender as problem:
                return response.json({"error": str(problem)}, status=400)
            return None

        return inner
