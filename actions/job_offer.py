"""The job-offer path: ask for the offer, then explain each red flag found in it."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.common import latest_text, menu_buttons, metadata, resolve_language, say
from actions.hotlines import render_hotlines
from bot import analytics
from bot.engines.hotlines import hotlines_for, likely_nationality
from bot.engines.places import find_places
from bot.engines.redflags import OfferCheck, check_offer, explanation
from bot.i18n import N_, t

MIN_OFFER_CHARS = 20  # shorter than this is not an offer we can say anything useful about
EVIDENCE_CHARS = 80  # a quoted span longer than this is shortened with "…"
PICTURE_QUOTE_CHARS = 300  # how much of the text read from a picture is shown back
# Literal keys so that Babel's extraction finds them.
VERDICT_KEYS = {
    "high": N_("offer.verdict.high"),
    "medium": N_("offer.verdict.medium"),
    "low": N_("offer.verdict.low"),
}
#: A low risk with signs listed (a hub town alone, or signs the learned check found ordinary):
#: "no known red flags" above a list of them would contradict itself.
LOW_WITH_SIGNS = N_("offer.verdict.low_signs")


class ActionAskOffer(Action):
    def name(self) -> str:
        return "action_ask_offer"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        language, events = resolve_language(tracker)
        say(dispatcher, language, "offer.ask")
        return events


def quote(text: str, limit: int) -> str:
    """``text`` on one line, at most ``limit`` characters (cut at a character, with "…")."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def render_check(language: str, result: OfferCheck) -> str:
    """The verdict, then per red flag why it matters and the words of the ad that raised it."""
    verdict = LOW_WITH_SIGNS if result.risk == "low" and result.flags else VERDICT_KEYS[result.risk]
    lines = [t(language, verdict)]
    for flag in result.flags:
        lines.append(t(language, "offer.flag_line", why=explanation(flag.id, language)))
        if flag.evidence.strip():
            evidence = quote(flag.evidence, EVIDENCE_CHARS)
            lines.append(t(language, "offer.flag_evidence", evidence=evidence))
    return "\n".join(lines)


def picture_text(text: str, meta: dict[str, Any]) -> str | None:
    """The part of the message the channel read from a picture (``ocr``/``ocr_chars``), if any."""
    if meta.get("ocr") is not True:
        return None
    chars = meta.get("ocr_chars")
    read = text[:chars] if isinstance(chars, int) and chars > 0 else text
    return read if read.strip() else None


class ActionCheckJobOffer(Action):
    """Verdict, each flag with a one-line why, and next steps. Never says an offer is safe."""

    def name(self) -> str:
        return "action_check_job_offer"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        language, events = resolve_language(tracker)
        text = latest_text(tracker)
        if metadata(tracker).get("has_photo") and len(text.strip()) < MIN_OFFER_CHARS:
            say(dispatcher, language, "offer.photo_needs_text")
            return events
        if len(text.strip()) < MIN_OFFER_CHARS:
            say(dispatcher, language, "offer.too_short")
            return events

        read = picture_text(text, metadata(tracker))
        if read is not None:
            say(dispatcher, language, "offer.read_from_picture",
                text=quote(read, PICTURE_QUOTE_CHARS))
        result = check_offer(text, language=language)
        analytics.count(
            "checks",
            f"risk:{result.risk}",
            f"language:{language}",
            *(f"flag:{flag.id}" for flag in result.flags),
        )
        dispatcher.utter_message(text=render_check(language, result))
        if result.risk == "low":
            say(dispatcher, language, "offer.verify_anyway")
        else:
            say(dispatcher, language, "offer.next_steps")
        if result.risk == "high":
            # Where the job is (a scam hub first) and the person's likely home country.
            places = sorted(find_places(text), key=lambda hit: not hit.is_scam_hub)
            destination = tracker.get_slot("country") or (places[0].country if places else None)
            hotlines = hotlines_for(destination, likely_nationality(language), emergency=False)
            if hotlines:
                say(
                    dispatcher,
                    language,
                    "offer.hotline",
                    hotlines=render_hotlines(language, hotlines),
                )
        say(dispatcher, language, "menu.prompt", buttons=menu_buttons(language))
        return events
