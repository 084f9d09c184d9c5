"""Consent, hand-over to a caseworker, the discreet code word, and erasing one's data."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import entity_value, latest_text, payload, resolve_language, say
from actions.groups import in_group_chat, say_go_private
from bot import analytics
from bot.campaigns.subscriptions import unsubscribe
from bot.casework.cases import Case, CaseStore, new_case_id
from bot.engines.distress_signals import is_first_hand
from bot.engines.hotlines import likely_nationality
from bot.engines.triage import triage
from bot.i18n import t
from bot.identity import UPDATE_KEY
from bot.redis_server import target_from_env

CONSENT_SLOT = "awaiting_consent"
WITH_WORDS = "with_words"
MAX_SHARED_MESSAGES = 5
SEVERITY_ORDER = {"none": 0, "urgent": 1, "emergency": 2}


@lru_cache(maxsize=1)
def case_store() -> CaseStore:
    return CaseStore(target_from_env().client(socket_timeout=5))


def consent_buttons(language: str) -> list[dict[str, str]]:
    return [
        {
            "title": t(language, "consent.yes_with_words"),
            "payload": payload("affirm", consent=WITH_WORDS),
        },
        {
            "title": t(language, "consent.yes_without_words"),
            "payload": payload("affirm", consent="without_words"),
        },
        {"title": t(language, "consent.no"), "payload": payload("deny")},
    ]


def recent_user_texts(tracker: Tracker, limit: int = MAX_SHARED_MESSAGES) -> list[str]:
    texts = [
        e.get("text") or ""
        for e in tracker.events
        if e.get("event") == "user"
        and (e.get("text") or "").strip()
        and not (e.get("text") or "").startswith("/")
    ]
    return texts[-limit:]


def build_case(
    tracker: Tracker, language: str, share_words: bool, extra_signals: list[str]
) -> Case:
    texts = recent_user_texts(tracker)
    results = [triage(text, language=language) for text in texts]
    signals = sorted({s for r in results for s in r.signals} | set(extra_signals))
    severities = (r.case_severity for r in results)
    severity = max(severities, key=SEVERITY_ORDER.get, default="urgent")
    country = tracker.get_slot("country") or next((r.country for r in results if r.country), None)
    return Case(
        id=new_case_id(),
        channel=tracker.get_latest_input_channel() or "rest",
        sender_id=tracker.sender_id,
        language=language,
        country=country,
        nationality=tracker.get_slot("nationality") or likely_nationality(language),
        severity=severity if severity != "none" else "urgent",
        signals=signals,
        words=texts if share_words else [],
    )


def update_key(tracker: Tracker) -> str | None:
    """The platform update of the latest message (set by the channel), if any."""
    key = ((tracker.latest_message or {}).get("metadata") or {}).get(UPDATE_KEY)
    return key[:256] if isinstance(key, str) and key else None


class ActionCreateCase(Action):
    """The user agreed: open a case for the caseworkers with what they chose to share."""

    def name(self) -> str:
        return "action_create_case"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        language, events = resolve_language(tracker)
        if in_group_chat(tracker):  # a caseworker could only answer into the group
            say_go_private(dispatcher, tracker, language)
            return [*events, SlotSet(CONSENT_SLOT, False)]
        share_words = entity_value(tracker, "consent") == WITH_WORDS
        case = build_case(tracker, language, share_words, [])
        case.id = case_store().create(case, update_key(tracker))
        analytics.count("cases:opened")
        say(dispatcher, language, "consent.created", case_id=case.id)
        return [*events, SlotSet(CONSENT_SLOT, False)]


def means_it(text: str) -> bool:
    """A typed reply that says it is real ("no, I'm not joking", "不是开玩笑"): first-hand in
    triage's own sense (:func:`.distress_signals.is_first_hand`: a first-hand signal and no
    "safe now"; "not joking, I'm a survivor" is a no). Read as "no", it would turn the caseworker
    away (review18)."""
    return not text.startswith("/") and is_first_hand(text)


class ActionDeclineCase(Action):
    """'No' to the caseworker question; "no, I'm not joking" gets the question again."""

    def name(self) -> str:
        return "action_decline_case"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        language, events = resolve_language(tracker)
        if means_it(latest_text(tracker)):
            say(dispatcher, language, "consent.ask", buttons=consent_buttons(language))
            return events  # still awaiting consent
        say(dispatcher, language, "consent.declined")
        return [*events, SlotSet(CONSENT_SLOT, False)]


def open_silent_case(tracker: Tracker, language: str) -> None:
    """The code word: a help request nobody looking at the phone would recognise."""
    case_store().create(
        build_case(tracker, language, share_words=False, extra_signals=["CODE_WORD"]),
        update_key(tracker),
    )
    analytics.count("cases:opened", "cases:silent")


class ActionEraseData(Action):
    """Deletes the user's cases and outbox; the tracker store then drops the conversation."""

    def name(self) -> str:
        return "action_erase_data"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        language, _ = resolve_language(tracker)
        if in_group_chat(tracker):  # one member must not erase what the group shares
            say_go_private(dispatcher, tracker, language)
            return []
        channel = tracker.get_latest_input_channel() or "rest"
        case_store().erase_user(channel, tracker.sender_id)
        unsubscribe(channel, tracker.sender_id, case_store().redis)
        say(dispatcher, language, "erase.done")
        return []
