"""Messenger webhook bodies → what the assistant hears (pure: no Rasa, no HTTP, no Redis).

:func:`signature_valid` checks Meta's ``X-Hub-Signature-256``; :func:`parse_items` reads every
message and postback of a batch; :func:`item_key` is the id the intake deduplicates on.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass, field
from typing import Any

from bot.channels.common import secret_matches
from bot.identity import MESSENGER, conversation_id

CHANNEL = MESSENGER
SIGNATURE_HEADER = "X-Hub-Signature-256"


# -- signature ----------------------------------------------------------------------------------


def signature_valid(body: bytes, header: str | None, app_secret: str) -> bool:
    """``header`` is ``sha256=`` + the hex HMAC-SHA256 of the raw ``body`` keyed by the secret."""
    if not header or not app_secret or not header.startswith("sha256="):
        return False
    expected = "sha256=" + hmac.new(app_secret.encode("utf-8"), body, hashlib.sha256).hexdigest()
    return secret_matches(header.strip().lower(), expected)


# -- webhook bodies → messages for Rasa --------------------------------------------------------


@dataclass
class MessengerEvent:
    sender_id: str  # ``messenger:<PSID>`` (the page-scoped user id): the conversation id
    text: str
    metadata: dict[str, Any] = field(default_factory=dict)
    image_url: str | None = None  # an image attachment's URL (kept out of Rasa's metadata)


def image_url(attachments: Any) -> str | None:
    """The URL of the first image attachment, if any."""
    for item in attachments if isinstance(attachments, list) else []:
        payload = item.get("payload") if isinstance(item, dict) else None
        if item.get("type") == "image" and isinstance(payload, dict):
            url = payload.get("url")
            if isinstance(url, str) and url:
                return url
    return None


def parse_item(item: Any) -> MessengerEvent | None:
    """One ``messaging`` item; None for echoes, deliveries, reads, reactions and anything odd."""
    if not isinstance(item, dict):
        return None
    sender = item.get("sender")
    sender_id = sender.get("id") if isinstance(sender, dict) else None
    if not isinstance(sender_id, (str, int)) or isinstance(sender_id, bool) or not str(sender_id):
        return None
    sender_id = conversation_id(CHANNEL, sender_id)

    postback = item.get("postback")
    if isinstance(postback, dict):
        payload = postback.get("payload") or postback.get("title")
        return MessengerEvent(sender_id, payload if isinstance(payload, str) else "")

    message = item.get("message")
    if not isinstance(message, dict) or message.get("is_echo"):
        return None
    quick_reply = message.get("quick_reply")
    if isinstance(quick_reply, dict) and isinstance(quick_reply.get("payload"), str):
        return MessengerEvent(sender_id, quick_reply["payload"])
    text = message.get("text") if isinstance(message.get("text"), str) else ""
    metadata: dict[str, Any] = {}
    attachments = message.get("attachments")
    kinds = [
        a.get("type") for a in attachments if isinstance(a, dict) and isinstance(a.get("type"), str)
    ] if isinstance(attachments, list) else []  # fmt: skip
    if message.get("sticker_id") is not None:
        kinds = ["sticker"]  # the "like" thumb and stickers arrive as image attachments
    if "image" in kinds:
        metadata["has_photo"] = True
    elif not text.strip():
        metadata["unsupported"] = kinds[0] if kinds else "other"
    url = image_url(attachments) if "image" in kinds else None
    return MessengerEvent(sender_id, text, metadata, url)


def parse_events(data: dict[str, Any]) -> list[MessengerEvent]:
    """Every message and postback of every entry of a webhook body (other kinds skipped)."""
    return [event for _, event in parse_items(data)]


def parse_items(data: dict[str, Any]) -> list[tuple[dict[str, Any], MessengerEvent]]:
    """Each messaging item that means something to the assistant, with its event."""
    if data.get("object") != "page" or not isinstance(data.get("entry"), list):
        return []
    found = []
    for entry in data["entry"]:
        items = entry.get("messaging") if isinstance(entry, dict) else None
        if not isinstance(items, list):
            continue  # e.g. "standby" (another app has the thread) or "changes"
        for item in items:
            event = parse_item(item)
            if event is not None:
                found.append((item, event))
    return found


def item_key(item: dict[str, Any]) -> str:
    """Meta's ``mid`` of a message or postback; a digest of the item when it has none."""
    for part in ("message", "postback"):
        mid = item.get(part, {}).get("mid") if isinstance(item.get(part), dict) else None
        if isinstance(mid, str) and mid:
            return mid[:200]
    raw = json.dumps(item, sort_keys=True, ensure_ascii=False).encode("utf-8")
    return "sha256:" + hashlib.sha256(raw).hexdigest()
