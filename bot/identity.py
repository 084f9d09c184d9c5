"""Conversation ids: every id carries its channel, so no channel can name another's users.

A conversation id is ``<channel>:<native id>``: ``telegram:<chat id>``, ``messenger:<psid>``,
``web:<random id>`` (issued by the web chat server, never chosen by the browser) and
``rest:<id>`` (scripts holding the REST secret). Rasa's tracker key, cases, outboxes and
subscriptions all use it; only the channel that owns an id turns it back into the platform's id
(:func:`native_id`), and refuses an id of another channel. Telegram groups and supergroups have
negative chat ids: :func:`in_group` tells them apart, so nothing personal is ever said there.
"""

from __future__ import annotations

TELEGRAM, MESSENGER, WEB, REST = "telegram", "messenger", "web", "rest"
CHANNELS = (TELEGRAM, MESSENGER, WEB, REST)
#: Message metadata naming the platform update it came from (``telegram:<update_id>``,
#: ``messenger:<mid>``): a case opened twice for the same update is the same case.
UPDATE_KEY = "update_key"


class ForeignId(ValueError):
    """A conversation id that does not belong to the channel asked about."""


def conversation_id(channel: str, native: object) -> str:
    """The conversation id of ``native`` (the platform's own id) on ``channel``."""
    if channel not in CHANNELS:
        raise ValueError(f"unknown channel {channel!r}")
    text = str(native)
    if not text:
        raise ValueError("empty id")
    return f"{channel}:{text}"


def channel_of(conversation: str) -> str | None:
    """The channel named by a conversation id, or None for a bare (pre-prefix) id."""
    channel, separator, rest = str(conversation).partition(":")
    return channel if separator and rest and channel in CHANNELS else None


def native_id(channel: str, conversation: str) -> str:
    """The platform's id inside ``conversation``; :class:`ForeignId` if it is not ``channel``'s."""
    prefix = f"{channel}:"
    if not str(conversation).startswith(prefix) or len(conversation) == len(prefix):
        raise ForeignId(f"not a {channel} conversation")
    return conversation[len(prefix):]


def in_group(conversation: str) -> bool:
    """Whether the conversation is a Telegram group or supergroup (a negative chat id)."""
    try:
        return native_id(TELEGRAM, conversation).startswith("-")
    except ForeignId:
        return False
