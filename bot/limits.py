"""The one input cap for message text, used by the web chat, the channels and the engines.

A message longer than :data:`MAX_MESSAGE_CHARS` is cut, never refused: distress is said early
and a job ad carries its flags at the start, while a bounded input bounds the time every engine
spends on one message (Telegram itself allows 4,096 characters).
"""

from __future__ import annotations

MAX_MESSAGE_CHARS = 4000


def cap_message(text: object) -> str:
    """``text`` as a string of at most :data:`MAX_MESSAGE_CHARS` characters (None → "")."""
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    return text[:MAX_MESSAGE_CHARS]
