"""Greeting, language choice, main menu, small talk and fallback."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import (
    LANGUAGE_SLOT,
    entity_value,
    latest_text,
    menu_buttons,
    payload,
    resolve_language,
    say,
)
from bot import LANGUAGES
from bot.engines.language import normalize_language_code
from bot.i18n import english_language_name, language_name


def language_buttons() -> list[dict[str, str]]:
    """One tap per language, each labelled in its own language."""
    return [
        {"title": language_name(code), "payload": payload("change_language", language=code)}
        for code in LANGUAGES
    ]


class ActionGreet(Action):
    def name(self) -> str:
        return "action_greet"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        language, events = resolve_language(tracker)
        say(dispatcher, language, "greet.welcome")
        if tracker.get_slot(LANGUAGE_SLOT) in LANGUAGES or events:
            say(dispatcher, language, "menu.prompt", buttons=menu_buttons(language))
        else:  # not sure which language the person reads: one tap to choose
            say(dispatcher, language, "language.prompt", buttons=language_buttons())
        return events


class ActionShowMenu(Action):
    def name(self) -> str:
        return "action_show_menu"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        language, events = resolve_language(tracker)
        say(dispatcher, language, "menu.prompt", buttons=menu_buttons(language))
        return events


class ActionChangeLanguage(Action):
    """Sets the language named by a button or in the text ("ខ្មែរ", "Thai please"), else asks."""

    def name(self) -> str:
        return "action_change_language"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        chosen = normalize_language_code(entity_value(tracker, "language"))
        if chosen not in LANGUAGES:
            chosen = _language_named_in(latest_text(tracker))
        if chosen not in LANGUAGES:
            language, _ = resolve_language(tracker)
            say(dispatcher, language, "language.prompt", buttons=language_buttons())
            return []
        say(dispatcher, chosen, "language.set")
        say(dispatcher, chosen, "menu.prompt", buttons=menu_buttons(chosen))
        return [SlotSet(LANGUAGE_SLOT, chosen)]


def _language_named_in(text: str) -> str | None:
    """A language named in ``text`` by its own name or its English name (none for "/...")."""
    if text.startswith("/"):
        return None
    folded = text.casefold()
    for code in LANGUAGES:
        if language_name(code).casefold() in folded:
            return code
    for code in LANGUAGES:
        if english_language_name(code).casefold() in folded:
            return code
    return None


class ActionThanks(Action):
    def name(self) -> str:
        return "action_thanks"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        language, events = resolve_language(tracker)
        say(dispatcher, language, "smalltalk.thanks", buttons=menu_buttons(language))
        return events


class ActionGoodbye(Action):
    def name(self) -> str:
        return "action_goodbye"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        language, events = resolve_language(tracker)
        say(dispatcher, language, "smalltalk.goodbye")
        return events


class ActionFallback(Action):
    """Out of scope or not understood: say so honestly and show where the bot can help."""

    def name(self) -> str:
        return "action_fallback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        language, events = resolve_language(tracker)
        say(dispatcher, language, "fallback.not_understood", buttons=menu_buttons(language))
        return events
