"""What every action needs: the conversation's language and localized replies with buttons."""

from __future__ import annotations

import json
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot import LANGUAGES
from bot.engines.language import detect_language, normalize_language_code
from bot.i18n import t

LANGUAGE_SLOT = "language"


def metadata(tracker: Tracker) -> dict[str, Any]:
    return tracker.latest_message.get("metadata") or {}


def latest_text(tracker: Tracker) -> str:
    return tracker.latest_message.get("text") or ""


def resolve_language(tracker: Tracker) -> tuple[str, list[EventType]]:
    """The language to answer in, and the slot event that records it when newly known.

    An explicit choice (the slot) wins; otherwise the first reliable detection of the user's
    text is kept; a short message ("ok", "sos") is never reliable and so never flips the slot.
    The channel's language hint (Telegram's ``language_code``) decides when nothing else does.
    """
    current = tracker.get_slot(LANGUAGE_SLOT)
    if current in LANGUAGES:
        return current, []
    hint = normalize_language_code(metadata(tracker).get("language_code"))
    text = latest_text(tracker)
    # A button or command payload ('/alerts{"alerts_choice": "start"}') says nothing of the
    # user's language; detected, it reads as reliable English.
    guess = detect_language("" if text.startswith("/") else text, hint=hint)
    if guess.reliable:
        return guess.code, [SlotSet(LANGUAGE_SLOT, guess.code)]
    if hint in LANGUAGES:
        return hint, []
    return guess.code, []


#: Confidence above which an intent was the classifier's first choice (confidences sum to 1).
FIRST_CHOICE_MIN = 0.5


def classifier_chose(tracker: Tracker, intent: str) -> bool:
    """Whether the NLU classifier itself chose ``intent`` for the latest message.

    The safety router puts its override (``distress``) first in the ranking and keeps the
    classifier's entries after it with their confidences; a majority confidence means first choice.
    """
    ranking = tracker.latest_message.get("intent_ranking") or []
    entry = next((r for r in ranking if r.get("name") == intent), None)
    return entry is not None and (entry.get("confidence") or 0.0) >= FIRST_CHOICE_MIN


def payload(intent: str, **entities: str) -> str:
    """A button payload that bypasses NLU: ``/intent{"entity": "value"}``."""
    return f"/{intent}{json.dumps(entities, ensure_ascii=False)}" if entities else f"/{intent}"


def button(language: str, key: str, intent: str, **entities: str) -> dict[str, str]:
    return {"title": t(language, key), "payload": payload(intent, **entities)}


def menu_buttons(language: str) -> list[dict[str, str]]:
    return [
        button(language, "menu.check_offer", "check_offer"),
        button(language, "menu.migration", "ask_faq"),
        button(language, "menu.help", "need_help"),
        button(language, "menu.language", "change_language"),
        button(language, "menu.alerts", "alerts"),
        button(language, "menu.erase", "erase_data"),
    ]


def say(
    dispatcher: CollectingDispatcher,
    language: str,
    key: str,
    buttons: list[dict[str, str]] | None = None,
    **values: object,
) -> None:
    dispatcher.utter_message(text=t(language, key, **values), buttons=buttons or [])


def entity_value(tracker: Tracker, entity: str) -> str | None:
    value = next(tracker.get_latest_entity_values(entity), None)
    return value if isinstance(value, str) else None
