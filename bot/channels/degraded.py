"""Degraded mode: an answer from the channel layer when Redis, Rasa or the action server is down.

Silence is the worst answer to someone in danger. When the stack cannot answer, the channel
still runs the distress check (:func:`bot.triage.triage`, on the last good content held in
memory) and answers a cry for help with the hotlines, in the person's language where known; a
discreet code word gets the usual harmless acknowledgement (hotlines on the screen could give
the person away); anything else gets "I can't answer right now, please try again in a few
minutes". The stored update is processed normally once the stack is back.

:class:`Backends` tells whether the action server (and, in the gateway, Rasa) answers its health
check (cached briefly, so a burst of messages costs one request).
"""

from __future__ import annotations

import asyncio
import logging
import os
import re
import time
from collections import OrderedDict

import aiohttp

from bot import LANGUAGES
from bot.engines.hotlines import contacts_for, likely_nationality
from bot.engines.language import detect_language, normalize_language_code
from bot.engines.triage import is_code_word, triage
from bot.i18n import t

logger = logging.getLogger(__name__)

HEALTH_CACHE_SECONDS = 2.0
#: The help button or command, with the country a place button carries (``"country": "TH"``).
HELP_PAYLOAD = re.compile(r'^/(?:need_help|distress)\b(?:.*"country"\s*:\s*"([A-Za-z]{2})")?')


def answer_language(text: str, language_code: str | None) -> str:
    """The client's language if we serve it and the text does not say otherwise."""
    hint = normalize_language_code(language_code)
    guess = detect_language("" if text.startswith("/") else text, hint=hint)
    if guess.reliable:
        return guess.code
    return hint if hint in LANGUAGES else guess.code


def degraded_reply(text: str, language_code: str | None = None) -> str:
    """What the channel answers on its own: contacts for a cry for help, else "try again later".

    A code word gets "try again later" too: harmless to a reader over the shoulder and true (no
    case can be opened now; "noted" would be a promise nobody keeps). A help button or command
    (``/need_help``, with the country it carries) gets the contacts like a cry for help.
    """
    language = answer_language(text, language_code)
    if is_code_word(text):
        return t(language, "degraded.unavailable")
    help_button = HELP_PAYLOAD.match(text)
    result = triage("" if help_button else text, language)
    if result.reaches_out or help_button:  # a check-in's contacts too: silence is worse
        from actions.hotlines import render_contacts  # the one rendering of contacts

        emergency = result.case_severity == "emergency"
        country = result.country or (help_button.group(1) if help_button else None)
        lines = contacts_for(country, likely_nationality(language), emergency=emergency,
                             language=language)
        if lines:  # with none, the caseworker offer of a normal answer cannot follow: try later
            return render_contacts(language, lines, emergency)
    return t(language, "degraded.unavailable")


class Backends:
    """Whether the action server (``ACTION_ENDPOINT_URL`` with ``/health``) and, in the gateway,
    Rasa (``rasa_health_url``) answer their health checks."""

    def __init__(self, action_url: str | None = None, rasa_health_url: str = "") -> None:
        url = action_url if action_url is not None else os.environ.get("ACTION_ENDPOINT_URL", "")
        self.health_urls = [u for u in (url.rsplit("/", 1)[0] + "/health" if url else "",
                                        rasa_health_url) if u]  # fmt: skip
        self._checked_at = 0.0
        self._ok = True

    async def actions_ready(self) -> bool:
        """True when every configured backend answers (none configured: nothing to wait for)."""
        if not self.health_urls:
            return True
        if time.monotonic() - self._checked_at < HEALTH_CACHE_SECONDS:
            return self._ok
        self._ok = all([await self.answers(url) for url in self.health_urls])
        self._checked_at = time.monotonic()
        return self._ok

    @staticmethod
    async def answers(url: str) -> bool:
        try:
            timeout = aiohttp.ClientTimeout(total=2)
            async with aiohttp.ClientSession(timeout=timeout) as session:
                async with session.get(url) as response:
                    return response.status == 200
        except (aiohttp.ClientError, asyncio.TimeoutError, OSError):
            return False


class SilentRuns:
    """Updates Rasa ran without sending anything. The action server may have died mid-run (Rasa
    then logs the error and carries on silently), so such an update is tried again, at most
    ``retries`` times; an update that is silent every time is taken as answered."""

    def __init__(self, retries: int = 2, capacity: int = 10_000) -> None:
        self.retries = retries
        self.counts = AnsweredOnce(capacity)
        self._tries: dict[str, int] = {}

    def retry(self, key: str) -> bool:
        tries = self._tries.get(key, 0) + 1
        self._tries[key] = tries
        if len(self._tries) > self.counts.capacity:
            self._tries.pop(next(iter(self._tries)))
        if tries > self.retries:
            self._tries.pop(key, None)
            return False
        return True


class AnsweredOnce:
    """Update keys that already got their degraded answer (bounded; a resend gets no second)."""

    def __init__(self, capacity: int = 10_000) -> None:
        self.capacity = capacity
        self._keys: OrderedDict[str, None] = OrderedDict()

    def first_time(self, key: str) -> bool:
        if key in self._keys:
            return False
        self._keys[key] = None
        while len(self._keys) > self.capacity:
            self._keys.popitem(last=False)
        return True
