"""What the Telegram and Messenger channels do alike, free of Rasa and Sanic imports.

- :func:`render` turns one of Rasa's bot responses (a dict with ``text``, ``buttons``, ``image``,
  ``custom``…) into platform-neutral :class:`Outgoing` messages, splitting long text with
  :func:`split_text` and cleaning the buttons;
- :func:`rasa_text` decides what Rasa receives for a message without text (photo, sticker…);
- :class:`DeliveryFailed` and :class:`StackDown` say why an answer did not go out;
- :class:`BackgroundWorker` runs the slow part (the model, the replies) after the webhook has
  answered, in order per conversation, and never lets an error escape;
- :func:`read_json` and :func:`secret_matches` keep malformed or forged requests out.

The Rasa output channel and the Sanic route guards are in :mod:`bot.channels.webhook`.
Privacy: nothing here logs message text, user ids or secrets; problems are logged by kind only.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import unicodedata
from collections.abc import Callable, Coroutine, Hashable
from dataclasses import dataclass, field
from typing import Any

from bot.limits import cap_message

logger = logging.getLogger(__name__)

# httpx logs every request URL at INFO: that URL holds the Telegram token or the page token.
for _noisy in ("httpx", "httpcore"):
    logging.getLogger(_noisy).setLevel(logging.WARNING)

MAX_BODY_BYTES = 512 * 1024  # real updates are a few KB; anything bigger is not from the platform
# What Rasa receives when a message has no text: a photo may be a screenshot of a job offer (the
# offer check answers honestly that it cannot read images); anything else gets the main menu.
PHOTO_TRIGGER = "/job_offer"
UNSUPPORTED_TRIGGER = "/menu"
BUTTONS_ONLY_TEXT = "…"  # platforms refuse buttons without text
ELLIPSIS = "…"


@dataclass(frozen=True)
class Button:
    title: str
    payload: str


@dataclass
class Outgoing:
    """One platform message: text (already within the limit) and its buttons, or an image."""

    text: str = ""
    buttons: list[Button] = field(default_factory=list)
    image: str | None = None


# -- text ----------------------------------------------------------------------------------


def utf16_len(text: str) -> int:
    """Length as Telegram counts it (UTF-16 code units: an emoji outside the BMP counts 2)."""
    return len(text.encode("utf-16-le")) // 2


def _safe_cut(text: str, end: int) -> int:
    """Move ``end`` back so the cut does not separate a base character from its marks.

    Thai, Lao, Khmer, Burmese and Nepali write vowels and tones as combining marks; a cut
    before one would leave a dangling mark at the start of the next part.
    """
    while 0 < end < len(text) and (
        unicodedata.category(text[end]) in ("Mn", "Mc", "Me") or text[end] == "\u200d"
    ):
        end -= 1
    if 0 < end < len(text) and "\ud800" <= text[end - 1] <= "\udbff":  # never split a pair
        end -= 1
    return end


def _prefix_within(text: str, limit: int, measure: Callable[[str], int]) -> int:
    """The longest prefix length of ``text`` whose measure is at most ``limit``."""
    if measure(text) <= limit:
        return len(text)
    low, high = 0, len(text)
    while low < high:  # binary search: measure is monotonic in the prefix length
        mid = (low + high + 1) // 2
        if measure(text[:mid]) <= limit:
            low = mid
        else:
            high = mid - 1
    return low


def split_text(text: str, limit: int, measure: Callable[[str], int] = len) -> list[str]:
    """Split ``text`` into parts of at most ``limit`` (by ``measure``).

    Cuts at a paragraph break if there is one in the second half of the part, else at a line
    break, else at a space, else (a long run without spaces: Thai, Chinese, a URL) at a
    character boundary that keeps combining marks with their base. Empty text gives ``[]``.
    """
    if limit < 1:
        raise ValueError("limit must be positive")
    parts: list[str] = []
    rest = text.strip()
    while rest:
        end = _prefix_within(rest, limit, measure)
        if end >= len(rest):
            parts.append(rest)
            break
        window = rest[:end]
        cut = -1
        for separator in ("\n\n", "\n", " "):
            position = window.rfind(separator)
            if position >= end // 2:
                cut = position
                break
        if cut <= 0:
            cut = _safe_cut(rest, end) or end  # no usable boundary: cut inside the run
        part = rest[:cut].rstrip()
        if part:
            parts.append(part)
        rest = rest[cut:].lstrip()
    return parts


def trim(text: str, limit: int, measure: Callable[[str], int] = len) -> str:
    """``text`` shortened to ``limit`` with a final "…", never splitting combining marks."""
    text = " ".join(text.split())
    if measure(text) <= limit:
        return text
    end = _safe_cut(text, _prefix_within(text, limit - measure(ELLIPSIS), measure))
    return text[:end].rstrip() + ELLIPSIS


def shorten_payload(payload: str, max_bytes: int) -> str:
    """A payload that fits ``max_bytes`` of UTF-8: itself, else its ``/intent`` part.

    Button payloads look like ``/intent{"entity": "value"}``; cutting inside the JSON would
    make Rasa read garbage, while the bare intent still leads the user to the right place.
    """
    if len(payload.encode("utf-8")) <= max_bytes:
        return payload
    if payload.startswith("/"):
        intent = payload.split("{", 1)[0]
        if len(intent.encode("utf-8")) <= max_bytes:
            return intent
    return payload.encode("utf-8")[:max_bytes].decode("utf-8", "ignore")


# -- Rasa responses → platform messages ----------------------------------------------------


def buttons_from(raw: Any) -> list[Button]:
    """Rasa buttons (``[{"title", "payload"}]``); malformed entries are skipped, not fatal."""
    if not isinstance(raw, list):
        return []
    buttons = []
    for item in raw:
        if not isinstance(item, dict):
            continue
        title, payload = item.get("title"), item.get("payload")
        if not isinstance(title, str) or not title.strip():
            continue
        if not isinstance(payload, str) or not payload.strip():
            payload = title  # a button without payload sends its title, as in Rasa's web chat
        buttons.append(Button(title.strip(), payload.strip()))
    return buttons


def render(
    message: dict[str, Any], limit: int, measure: Callable[[str], int] = len
) -> list[Outgoing]:
    """One Rasa bot response as platform messages, in order: text parts, then the image.

    Buttons (or quick replies) go with the last text part, so they sit under the end of the
    reply. A ``custom`` payload carrying ``text``/``buttons`` is rendered like a normal response;
    any other custom payload is not meant for these channels and is skipped.
    """
    text = message.get("text") if isinstance(message.get("text"), str) else ""
    buttons = buttons_from(message.get("buttons") or message.get("quick_replies"))
    custom = message.get("custom")
    if isinstance(custom, dict) and (isinstance(custom.get("text"), str) or custom.get("buttons")):
        extra = render(
            {"text": custom.get("text"), "buttons": custom.get("buttons")}, limit, measure
        )
    else:
        extra = []
        if custom:
            logger.debug("skipped a custom response the channel cannot show")
    parts = split_text(text, limit, measure)
    if buttons and not parts:
        parts = [BUTTONS_ONLY_TEXT]
    messages = [Outgoing(text=part) for part in parts]
    if messages:
        messages[-1].buttons = buttons
    image = message.get("image")
    if isinstance(image, str) and image.startswith(("https://", "http://")):
        messages.append(Outgoing(image=image))
    return messages + extra


class DeliveryFailed(RuntimeError):
    """The platform did not take a reply (logged by kind where it happened).

    ``permanent``: it never will (the user blocked the bot, the chat is gone, the request is
    refused as bad): the intake acknowledges the update instead of running Rasa and the actions
    again, which would open another case and resend what was already delivered. Otherwise
    (network, flood control, 5xx) the update is tried again later.
    """

    def __init__(self, what: str, permanent: bool = False) -> None:
        super().__init__(what)
        self.permanent = permanent


class StackDown(RuntimeError):
    """Rasa or the action server fails its health check: the update waits for them (tried again
    every few seconds, not counted as a failed try: an outage is not the update's fault)."""


# -- what Rasa receives ----------------------------------------------------------------------


#: Payloads of buttons sent before an intent was renamed: old messages keep their buttons.
LEGACY_PAYLOADS = {
    "/subscribe": '/alerts{"alerts_choice": "start"}',
    "/unsubscribe": '/alerts{"alerts_choice": "stop"}',
}


def rasa_text(text: str, metadata: dict[str, Any]) -> str:
    """The text for Rasa: the user's own (cut to the input cap), or an intent trigger when the
    message had none."""
    if text.strip():
        return LEGACY_PAYLOADS.get(text.strip(), cap_message(text))
    return PHOTO_TRIGGER if metadata.get("has_photo") else UNSUPPORTED_TRIGGER


# -- security and robustness ------------------------------------------------------------------


def secret_matches(given: str | None, expected: str) -> bool:
    """Constant-time comparison; a missing value or an unset secret never matches."""
    if not given or not expected:
        return False
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


class BadRequest(Exception):
    """The body is not something a platform would send; ``kind`` says why (no content)."""

    def __init__(self, kind: str) -> None:
        super().__init__(kind)
        self.kind = kind


def read_json(body: bytes | None) -> dict[str, Any]:
    """The body as a JSON object, or :class:`BadRequest` naming the kind of problem."""
    if not body:
        raise BadRequest("empty body")
    if len(body) > MAX_BODY_BYTES:
        raise BadRequest("body too large")
    try:
        data = json.loads(body.decode("utf-8"))
    except UnicodeDecodeError:
        raise BadRequest("not UTF-8") from None
    except RecursionError:
        raise BadRequest("nested too deeply") from None
    except ValueError:
        raise BadRequest("invalid JSON") from None
    if not isinstance(data, dict):
        raise BadRequest("not a JSON object")
    return data


class BackgroundWorker:
    """Handles messages after the webhook has answered 200.

    Tasks for the same key (the conversation) run one after the other, so replies keep the
    order of the messages; different conversations run concurrently. At most ``max_pending``
    tasks wait at once: beyond that :meth:`submit` says no and the webhook answers 503, which
    makes the platform retry later instead of the process growing without bound.
    """

    def __init__(self, channel: str, max_pending: int = 500) -> None:
        self.channel = channel
        self.max_pending = max_pending
        self._tasks: set[asyncio.Task[None]] = set()  # strong references: tasks are not GC'd
        self._last: dict[Hashable, asyncio.Task[None]] = {}

    @property
    def pending(self) -> int:
        return len(self._tasks)

    def has_room(self, count: int = 1) -> bool:
        return len(self._tasks) + count <= self.max_pending

    def submit(self, key: Hashable, work: Coroutine[Any, Any, Any]) -> bool:
        if len(self._tasks) >= self.max_pending:
            work.close()
            logger.warning(
                "%s: too many messages waiting; asking the platform to retry", self.channel
            )
            return False
        try:
            hash(key)
        except TypeError:  # a forged id of a wrong type (list, dict): still handled, in one lane
            key = "unhashable"
        previous = self._last.get(key)
        task = asyncio.get_running_loop().create_task(self._run(previous, work))
        self._tasks.add(task)
        self._last[key] = task

        def done(finished: asyncio.Task[None]) -> None:
            self._tasks.discard(finished)
            if self._last.get(key) is finished:
                del self._last[key]

        task.add_done_callback(done)
        return True

    async def _run(
        self, previous: asyncio.Task[None] | None, work: Coroutine[Any, Any, Any]
    ) -> None:
        if previous is not None:
            await asyncio.wait([previous])  # its outcome does not matter, only its end
        try:
            await work
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # one failure must not stop the others
            # The type only: exception texts can hold a token (PTB's InvalidToken) or user text.
            logger.error("%s: handling a message failed (%s)", self.channel, type(exc).__name__)

    async def join(self) -> None:
        """Wait for everything submitted so far (tests and shutdown)."""
        while self._tasks:
            await asyncio.wait(list(self._tasks))
