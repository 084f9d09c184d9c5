"""The help path and the distress answer: the right hotlines in the first reply."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import (
    classifier_chose,
    entity_value,
    latest_text,
    payload,
    resolve_language,
    say,
)
from actions.faq import question_behind_distress, say_answer
from actions.groups import in_group_chat, say_go_private
from actions.handover import CONSENT_SLOT, consent_buttons, open_silent_case
from actions.hotlines import render_hotlines
from actions.job_offer import render_check
from bot import analytics
from bot.hotlines import hotlines_for, likely_nationality
from bot.i18n import N_, country_name
from bot.redflags import check_offer, reads_like_pasted_ad
from bot.triage import is_code_word, triage

COUNTRY_SLOT = "country"
#: Countries offered as one-tap answers to "where are you now?" (where compounds and hotlines are).
COUNTRY_CHOICES = ("TH", "KH", "MM", "LA", "VN", "ID", "PH", "MY", "CN", "NP")


def country_buttons(language: str) -> list[dict[str, str]]:
    return [
        {"title": country_name(language, code), "payload": payload("need_help", country=code)}
        for code in COUNTRY_CHOICES
    ]


def _country(tracker: Tracker) -> str | None:
    chosen = entity_value(tracker, "country")
    if chosen and chosen.upper() in COUNTRY_CHOICES:
        return chosen.upper()
    return tracker.get_slot(COUNTRY_SLOT)


def say_hotlines(
    dispatcher: CollectingDispatcher,
    language: str,
    country: str | None,
    emergency: bool,
    key: str,
    ask_country: bool = True,
) -> list[EventType]:
    """The hotlines that fit, then either remember the country or ask for it with one tap."""
    hotlines = hotlines_for(country, likely_nationality(language), emergency=emergency)
    say(dispatcher, language, key, hotlines=render_hotlines(language, hotlines))
    if country is None and not ask_country:
        return []
    if country is None:
        say(dispatcher, language, "help.ask_country", buttons=country_buttons(language))
        return []
    return [SlotSet(COUNTRY_SLOT, country)]


class ActionHelp(Action):
    """'I need help': hotlines for the country the person is in, and a way to say where."""

    def name(self) -> str:
        return "action_help"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        language, events = resolve_language(tracker)
        group = in_group_chat(tracker)
        events += say_hotlines(
            dispatcher, language, _country(tracker), emergency=False, key=N_("help.intro"),
            ask_country=not group,
        )
        if group:
            say_go_private(dispatcher, tracker, language)
        return events


def ad_behind_distress(tracker: Tracker, text: str, emergency: bool) -> bool:
    """A pasted job ad that triage flagged ("the company keeps your passport").

    Only when the classifier itself read a job ad and nothing points to an emergency: a victim
    telling how they were recruited ("the agent promised… now they beat us") must not get the
    story graded as an offer.
    """
    return not emergency and classifier_chose(tracker, "job_offer") and reads_like_pasted_ad(text)


class ActionDistress(Action):
    """A cry for help: calm words and the hotlines that fit, first, before anything else."""

    def name(self) -> str:
        return "action_distress"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        language, events = resolve_language(tracker)
        text = latest_text(tracker)
        group = in_group_chat(tracker)
        if group and is_code_word(text):
            # No silent case from a group: a caseworker could only answer into the group.
            say_go_private(dispatcher, tracker, language)
            return events
        if is_code_word(text):
            # Someone may be reading over their shoulder: look harmless, ask for help silently.
            open_silent_case(tracker, language)
            analytics.count("distress", "code_words", f"language:{language}")
            say(dispatcher, language, "code_word.reply")
            return events
        result = triage(text, language=language)
        emergency = result.severity == "emergency"
        key = N_("distress.emergency") if emergency else N_("distress.urgent")
        country = result.country or _country(tracker)
        analytics.count(
            "distress",
            f"severity:{result.severity}",
            f"language:{language}",
            *([f"country:{country}"] if country else []),
        )
        events += say_hotlines(
            dispatcher, language, country, emergency=emergency, key=key, ask_country=not group
        )
        question = question_behind_distress(tracker, language)
        if question is not None:
            say_answer(dispatcher, language, question)
        elif ad_behind_distress(tracker, text, emergency):
            check = check_offer(text, language=language)
            if check.flags:  # never "no red flags found" right after the hotlines
                dispatcher.utter_message(text=render_check(language, check))
        if group:  # never ask for consent where others read: in private, with one tap
            say_go_private(dispatcher, tracker, language)
            return events
        say(dispatcher, language, "consent.ask", buttons=consent_buttons(language))
        return [*events, SlotSet(CONSENT_SLOT, True)]
