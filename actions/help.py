"""The help path and the distress answer: a contact the person can reach, in the first reply.

Then, one tap each, the two questions that find better contacts: where they are now and which
passport they hold (both remembered in slots for the conversation).
"""

from __future__ import annotations

from dataclasses import dataclass
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
from actions.hotlines import render_contacts, render_crisis_lines
from actions.job_offer import render_check
from bot import analytics
from bot.engines.countries import choices, country_code
from bot.engines.hotlines import Hotline, contacts_for, crisis_lines, likely_nationality
from bot.engines.redflags import check_offer, reads_like_pasted_ad
from bot.engines.triage import is_code_word, names_a_wish_to_die, triage
from bot.i18n import country_name, t
from bot.verdicts import Verdicts, from_parse_data

COUNTRY_SLOT = "country"
NATIONALITY_SLOT = "nationality"
#: Which question an "Other" tap left open ("country" or "nationality"): a country name typed
#: next (the router's ``place`` entity) answers it.
QUESTION_SLOT = "place_question"
PLACE_ENTITY = "place"
OTHER = "other"


def place_buttons(language: str, entity: str, codes: tuple[str, ...]) -> list[dict[str, str]]:
    """One tap per country, most affected first, then "Other" (answered in free text)."""
    buttons = [
        {"title": country_name(language, code), "payload": payload("need_help", **{entity: code})}
        for code in codes
    ]
    other = payload("need_help", **{entity: OTHER})
    return [*buttons, {"title": t(language, "help.other"), "payload": other}]


def country_buttons(language: str) -> list[dict[str, str]]:
    return place_buttons(language, COUNTRY_SLOT, choices().where)


def passport_buttons(language: str) -> list[dict[str, str]]:
    return place_buttons(language, NATIONALITY_SLOT, choices().passport)


@dataclass(frozen=True)
class Places:
    """Where the person is and whose passport they hold, as far as the conversation knows."""

    country: str | None
    nationality: str | None
    other: str | None = None  # the question whose "Other" button was just tapped


def known_places(tracker: Tracker) -> Places:
    """This message's answer (button or typed country name) over what the slots remember."""
    country = country_code(tracker.get_slot(COUNTRY_SLOT))
    nationality = country_code(tracker.get_slot(NATIONALITY_SLOT))
    typed = country_code(entity_value(tracker, PLACE_ENTITY))
    if typed and tracker.get_slot(QUESTION_SLOT) == NATIONALITY_SLOT:
        nationality = typed
    elif typed:
        country = typed
    other = None
    for slot in (COUNTRY_SLOT, NATIONALITY_SLOT):
        value = entity_value(tracker, slot)
        if isinstance(value, str) and value.strip().lower() == OTHER:
            other = slot
        elif country_code(value) and slot == COUNTRY_SLOT:
            country = country_code(value)
        elif country_code(value):
            nationality = country_code(value)
    return Places(country, nationality, other)


def remember(places: Places) -> list[EventType]:
    """Slot events for what is known (both answers are kept for the whole conversation)."""
    events: list[EventType] = [SlotSet(QUESTION_SLOT, places.other)]
    if places.country:
        events.append(SlotSet(COUNTRY_SLOT, places.country))
    if places.nationality:
        events.append(SlotSet(NATIONALITY_SLOT, places.nationality))
    return events


def say_contacts(
    dispatcher: CollectingDispatcher, language: str, places: Places, emergency: bool,
    crisis: bool = False,
) -> bool:
    """The contacts first: nationality guessed from the language until the person says it; with
    ``crisis`` (a wish to die), the suicide-prevention lines below them in the same message.

    False when no contact fits: the text then points to the caseworker offer, which the caller
    must show in the same reply.
    """
    hotlines = place_contacts(language, places, emergency)
    text = render_contacts(language, hotlines, emergency)
    lines = place_crisis_lines(language, places) if crisis else []
    dispatcher.utter_message(text="\n\n".join(filter(None, [text, render_crisis_lines(
        language, lines)])))  # never among the contacts: bot.engines.hotlines keeps them apart
    return bool(hotlines)


def place_contacts(language: str, places: Places, emergency: bool) -> list[Hotline]:
    """The contacts for the person's place; their nationality guessed from the language until
    they say it."""
    nationality = places.nationality or likely_nationality(language)
    return contacts_for(places.country, nationality, emergency=emergency, language=language)


def place_crisis_lines(language: str, places: Places) -> list[Hotline]:
    """Suicide-prevention lines where the person is known to be: a short code is dialled only
    there, and a person held abroad cannot dial their home country's (review18)."""
    return crisis_lines(places.country, language) if places.country else []


def ask_places(dispatcher: CollectingDispatcher, language: str, places: Places) -> None:
    """The two questions still open, one tap each; never before the first contact."""
    if places.country is None:
        say(dispatcher, language, "help.ask_country", buttons=country_buttons(language))
    if places.nationality is None:
        say(dispatcher, language, "help.ask_passport", buttons=passport_buttons(language))


class ActionHelp(Action):
    """'I need help': hotlines for the country the person is in, and a way to say where."""

    def name(self) -> str:
        return "action_help"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        language, events = resolve_language(tracker)
        places = known_places(tracker)
        if in_group_chat(tracker):  # where others read: contacts, then a private chat
            say_contacts(dispatcher, language, places, emergency=False)
            say_go_private(dispatcher, tracker, language)
            return events
        if places.other:
            say(dispatcher, language, "help.write_country")
            return [*events, SlotSet(QUESTION_SLOT, places.other)]
        found = say_contacts(dispatcher, language, places, emergency=False)
        ask_places(dispatcher, language, places)
        if not found:  # "a caseworker here can help you now": the offer, as promised
            say(dispatcher, language, "consent.ask", buttons=consent_buttons(language))
            return [*events, *remember(places), SlotSet(CONSENT_SLOT, True)]
        return [*events, *remember(places)]


def ad_behind_distress(
    tracker: Tracker, text: str, emergency: bool, verdicts: Verdicts | None = None
) -> bool:
    """A pasted job ad that triage flagged ("the company keeps your passport").

    Only when the classifier itself read a job ad and nothing points to an emergency: a victim
    telling how they were recruited ("the agent promised… now they beat us") must not get the
    story graded as an offer. The router's pasted-ad verdict is used when attached.
    """
    if emergency or not classifier_chose(tracker, "job_offer"):
        return False
    if verdicts is not None and verdicts.pasted_ad is not None:
        return verdicts.pasted_ad
    return reads_like_pasted_ad(text)


def say_check_in(
    dispatcher: CollectingDispatcher, tracker: Tracker, language: str, places: Places
) -> list[EventType] | None:
    """A wish to die the models read as hyperbole ("exam tomorrow, I want to die"): a gentle word,
    a crisis line (where the place is known) and the emergency contacts in the first message,
    then the card's caseworker question, without the place questions and the alarm: a hidden
    real wish still reaches help at once (README "Session 15"). The slot events; None, nothing
    said, when no contact fits: the card answers."""
    crisis = place_crisis_lines(language, places)
    hotlines = place_contacts(language, places, emergency=True)
    if not hotlines and not crisis:
        return None
    analytics.count("distress", "check_in", f"language:{language}")
    parts = [t(language, "check_in.ask"), render_crisis_lines(language, crisis),
             render_contacts(language, hotlines, emergency=True) if hotlines else ""]
    dispatcher.utter_message(text="\n\n".join(filter(None, parts)))
    if in_group_chat(tracker):  # never a caseworker offer where others read
        say_go_private(dispatcher, tracker, language)
        return []
    # The card's own question: after it a typed "no" can only mean no caseworker (review18).
    say(dispatcher, language, "consent.ask", buttons=consent_buttons(language))
    return [SlotSet(CONSENT_SLOT, True)]


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
        # The router's checks of this message; recomputed when absent (payloads, old trackers).
        verdicts = from_parse_data(tracker.latest_message)
        code_word = verdicts.code_word if verdicts is not None else is_code_word(text)
        if group and code_word:
            # No silent case from a group: a caseworker could only answer into the group.
            say_go_private(dispatcher, tracker, language)
            return events
        if code_word:
            # Someone may be reading over their shoulder: look harmless, ask for help silently.
            open_silent_case(tracker, language)
            analytics.count("distress", "code_words", f"language:{language}")
            say(dispatcher, language, "code_word.reply")
            return events
        result = verdicts.triage if verdicts is not None and verdicts.triage else None
        result = result or triage(text, language=language)
        emergency = result.case_severity == "emergency"  # a check-in with no contact: the card
        known = known_places(tracker)
        places = Places(result.country or known.country, known.nationality)
        if result.check_in:
            checked_in = say_check_in(dispatcher, tracker, language, places)
            if checked_in is not None:
                return [*events, *checked_in]
        analytics.count(
            "distress",
            f"severity:{result.case_severity}",
            f"language:{language}",
            *([f"country:{places.country}"] if places.country else []),
        )
        say_contacts(dispatcher, language, places, emergency=emergency,
                     crisis=names_a_wish_to_die(result))
        question = question_behind_distress(tracker, language)
        if question is not None:
            say_answer(dispatcher, language, question)
        elif ad_behind_distress(tracker, text, emergency, verdicts):
            check = check_offer(text, language=language)
            if check.flags:  # never "no red flags found" right after the hotlines
                dispatcher.utter_message(text=render_check(language, check))
        if group:  # never ask for consent or places where others read: in private, one tap
            say_go_private(dispatcher, tracker, language)
            return events
        ask_places(dispatcher, language, places)
        say(dispatcher, language, "consent.ask", buttons=consent_buttons(language))
        return [*events, *remember(places), SlotSet(CONSENT_SLOT, True)]
