"""Telegram updates → what the assistant hears (pure: no Rasa, no HTTP, no Redis).

:func:`parse_update` reads an update (PTB's ``Update``) into a :class:`TelegramEvent`: text,
captions, commands, button presses (callback data, see :class:`CallbackPayloads`), photos and
other attachments; in groups only what addresses the bot.
"""

from __future__ import annotations

import hashlib
import re
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from telegram import Message, Update, User

from bot.channels.common import LEGACY_PAYLOADS, shorten_payload
from bot.identity import TELEGRAM, conversation_id

CHANNEL = TELEGRAM
CALLBACK_DATA_BYTES = 64
GROUP_CHATS = ("group", "supergroup")
# What a message without text is, in the order Telegram's clients show them.
ATTACHMENT_KINDS = (
    "photo", "sticker", "animation", "voice", "audio", "video", "video_note", "document",
    "location", "venue", "contact", "poll", "dice", "game", "story",
)  # fmt: skip
CLEAR_CHAT = "/clear_chat"  # handled here, never sent to Rasa
#: The deep link a group member taps to talk privately (``/start help`` → the help intent).
PRIVATE_START = "help"
PRIVATE_LINK = "https://t.me/{username}?start=" + PRIVATE_START
# Telegram's usual commands → the intents they mean (the bot's menu entries).
COMMANDS = {
    "start": "/greet",
    "help": "/need_help",
    "menu": "/menu",
    "language": "/change_language",
    "erase": "/erase_data",
    "clear": CLEAR_CHAT,
    "subscribe": LEGACY_PAYLOADS["/subscribe"],
    "unsubscribe": LEGACY_PAYLOADS["/unsubscribe"],
}


# -- callback data ----------------------------------------------------------------------------


class CallbackPayloads:
    """Button payloads as callback data, which Telegram limits to 64 bytes.

    A payload that fits is sent as is. A longer one is sent as ``/intent#<hash>`` (or
    ``#<hash>``) and kept here (bounded, least recently used dropped); the hash is derived from
    the payload, so the same button always gets the same data. If the mapping is lost (restart),
    the press still reaches the right intent without its entities.
    """

    def __init__(self, capacity: int = 10_000) -> None:
        self.capacity = capacity
        self._payloads: OrderedDict[str, str] = OrderedDict()

    def encode(self, payload: str) -> str:
        if len(payload.encode("utf-8")) <= CALLBACK_DATA_BYTES:
            return payload
        digest = hashlib.sha256(payload.encode("utf-8")).hexdigest()[:16]
        intent = shorten_payload(payload, CALLBACK_DATA_BYTES - 17).split("{", 1)[0]
        data = f"{intent}#{digest}" if intent.startswith("/") else f"#{digest}"
        self._payloads[data] = payload
        self._payloads.move_to_end(data)
        while len(self._payloads) > self.capacity:
            self._payloads.popitem(last=False)
        return data

    def decode(self, data: str) -> str:
        payload = self._payloads.get(data)
        if payload is not None:
            return payload
        if re.fullmatch(r"/\w+#[0-9a-f]{16}", data):
            return data.split("#", 1)[0]  # mapping lost: the intent alone
        if re.fullmatch(r"#[0-9a-f]{16}", data):
            return ""  # nothing to recover: treated like a message without text
        return data


# -- updates → messages for Rasa -------------------------------------------------------------


@dataclass
class TelegramEvent:
    """What one update means for the assistant."""

    chat_id: int
    text: str
    metadata: dict[str, Any] = field(default_factory=dict)
    callback_query_id: str | None = None
    message_id: int | None = None

    @property
    def sender_id(self) -> str:
        """``telegram:<chat id>``: a private chat is its user, a group (negative id) the group."""
        return conversation_id(CHANNEL, self.chat_id)


def _language_metadata(user: User | None) -> dict[str, Any]:
    code = getattr(user, "language_code", None)
    return {"language_code": code} if isinstance(code, str) and code else {}


def _attachment_kind(message: Message) -> str:
    for kind in ATTACHMENT_KINDS:
        if getattr(message, kind, None):
            return kind
    return "other"


def _addressed_text(message: Message, text: str, me: User | None) -> str | None:
    """In a group: the text without the bot's @mention if the bot is addressed, else None.

    The bot is addressed by a mention of its username, a command for it (``/start@bot``),
    or a reply to one of its messages.
    """
    if me is None:
        return None  # not knowing who we are, stay quiet rather than answer everyone
    replied = message.reply_to_message
    is_reply = bool(replied and replied.from_user and replied.from_user.id == me.id)
    username = me.username or ""
    mention = re.compile(rf"@{re.escape(username)}\b", re.IGNORECASE) if username else None
    if mention is not None and mention.search(text):
        return mention.sub("", text).strip()
    return text if is_reply else None


def command_intent(text: str) -> str:
    """``/start``, ``/help@bot``… → the intent trigger; other text unchanged."""
    match = re.fullmatch(r"/([A-Za-z0-9_]+)(?:@\w+)?(?:\s+(.*))?", text.strip(), re.DOTALL)
    if match and match.group(1).lower() in COMMANDS:
        if match.group(1).lower() == "start" and (match.group(2) or "").strip() == PRIVATE_START:
            return COMMANDS["help"]  # the deep link a group's hotline card points to
        return COMMANDS[match.group(1).lower()]
    return text


def parse_update(
    update: Update, me: User | None = None, callbacks: CallbackPayloads | None = None
) -> TelegramEvent | None:
    """The event for Rasa in ``update``, or None when there is nothing to answer.

    Text, captions (a photo's caption is its text), forwarded and edited messages are read;
    a photo without caption gives ``has_photo``; stickers, voice notes, locations… give
    ``unsupported`` with their kind; button presses give their payload. Membership changes
    (``my_chat_member``), channel posts and other update types are ignored. In groups the bot
    answers only when addressed.
    """
    query = update.callback_query
    if query is not None:
        data = query.data if isinstance(query.data, str) else ""
        text = (callbacks or CallbackPayloads()).decode(data)
        chat = query.message.chat if query.message is not None else None
        chat_id = chat.id if chat is not None else query.from_user.id
        return TelegramEvent(
            chat_id=chat_id,
            text=text,
            metadata=_language_metadata(query.from_user),
            callback_query_id=query.id,
        )

    message = update.message or update.edited_message
    if message is None or message.chat is None:
        return None  # my_chat_member, channel posts, polls, inline queries…
    if message.from_user is not None and message.from_user.is_bot:
        return None
    text = message.text or message.caption or ""
    if not isinstance(text, str):  # de_json does not check types
        text = ""
    metadata = _language_metadata(message.from_user)
    if update.edited_message is not None:
        metadata["edited"] = True
    if message.forward_origin is not None:
        metadata["forwarded"] = True
    if message.photo:
        metadata["has_photo"] = True
    if not text.strip() and not message.photo:
        metadata["unsupported"] = _attachment_kind(message)

    if message.chat.type in GROUP_CHATS:
        addressed = _addressed_text(message, text, me)
        if addressed is None:
            return None
        text = addressed
        if me is not None and me.username:  # where the actions send a member for anything personal
            metadata["private_chat_url"] = PRIVATE_LINK.format(username=me.username)
    elif message.chat.type != "private":
        return None  # channels: the bot does not converse there
    return TelegramEvent(
        chat_id=message.chat.id,
        text=command_intent(text),
        metadata=metadata,
        message_id=message.message_id if message.chat.type == "private" else None,
    )
