"""Who is chatting on the web page: an id this server issues, in a signed cookie.

The browser never chooses its conversation: the server makes up a random id (192 bits,
``secrets.token_urlsafe``), signs it with HMAC-SHA256 and keeps it in an HttpOnly,
SameSite=Strict cookie that lasts as long as the browser session. A cookie whose signature does
not match (tampered, or signed with another key) is ignored and a new id is issued. The key comes
from ``WEBCHAT_COOKIE_SECRET`` or, unset, from ``.run/webchat-cookie-key`` (made up once, 0600),
so a restart keeps the conversations going.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from pathlib import Path

from bot import settings
from bot.identity import WEB, conversation_id
from bot.keyfile import read_or_create_secret

COOKIE = "safejobs_chat"
KEY_FILE = "webchat-cookie-key"
ID_BYTES = 24  # 192 bits
MAX_COOKIE_CHARS = 200


def cookie_key(run_dir: Path) -> bytes:
    """The signing key: WEBCHAT_COOKIE_SECRET, else the one kept in ``run_dir``."""
    configured = settings.text("WEBCHAT_COOKIE_SECRET")
    if configured:
        return configured.encode("utf-8")
    return read_or_create_secret(run_dir / KEY_FILE).encode("utf-8")


def _signature(key: bytes, chat_id: str) -> str:
    digest = hmac.new(key, f"webchat:{chat_id}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def new_chat_id() -> str:
    return secrets.token_urlsafe(ID_BYTES)


def sign(key: bytes, chat_id: str) -> str:
    """The cookie value for ``chat_id``."""
    return f"{chat_id}.{_signature(key, chat_id)}"


def verify(key: bytes, value: str | None) -> str | None:
    """The chat id in a cookie value, or None when it is missing, malformed or not ours."""
    if not value or len(value) > MAX_COOKIE_CHARS or value.count(".") != 1:
        return None
    chat_id, signature = value.split(".")
    expected = _signature(key, chat_id).encode()
    if not chat_id or not hmac.compare_digest(signature.encode(), expected):
        return None
    return chat_id


def conversation(chat_id: str) -> str:
    """The conversation id Rasa keys this chat by (``web:<id>``)."""
    return conversation_id(WEB, chat_id)
