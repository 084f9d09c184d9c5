"""Action unit tests with a rasa_sdk Tracker and CollectingDispatcher."""

from __future__ import annotations

import re

from rasa_sdk.events import SlotSet

from actions.conversation import (
    ActionChangeLanguage,
    ActionFallback,
    ActionGreet,
    ActionShowMenu,
)
from actions.faq import ActionAnswerFaq
from actions.help import ActionDistress, ActionHelp
from actions.job_offer import ActionAskOffer, ActionCheckJobOffer
from bot import LANGUAGES
from bot.engines.faq import topic
from bot.i18n import t
from tests.helpers import all_buttons, all_text, make_tracker, run_action

PHONE = re.compile(r"\d{3,}")


def test_greet_unknown_language_offers_one_tap_per_language() -> None:
    messages, events = run_action(ActionGreet(), make_tracker("hi"))
    assert t("en", "greet.welcome") in all_text(messages)
    payloads = [b["payload"] for b in all_buttons(messages)]
    assert len(payloads) == len(LANGUAGES)
    assert '/change_language{"language": "km"}' in payloads
    assert events == []  # "hi" is too short to decide the language


def test_greet_in_thai_answers_in_thai_and_remembers_it() -> None:
    messages, events = run_action(ActionGreet(), make_tracker("สวัสดีครับ อยากสอบถามหน่อย"))
    assert t("th", "greet.welcome") in all_text(messages)
    assert SlotSet("language", "th") in events
    assert [b["payload"] for b in all_buttons(messages)][:3] == [
        "/check_offer",
        "/ask_faq",
        "/need_help",
    ]


def test_telegram_language_code_is_a_hint_for_short_messages() -> None:
    tracker = make_tracker("hi", metadata={"language_code": "km"})
    messages, _ = run_action(ActionGreet(), tracker)
    assert t("km", "greet.welcome") in all_text(messages)


def test_a_button_payload_never_sets_the_language() -> None:
    # Detected as text, '/alerts{"alerts_choice": "start"}' reads as reliable English.
    tracker = make_tracker(
        '/menu{"alerts_choice": "start"}', intent="menu", metadata={"language_code": "th"}
    )
    messages, events = run_action(ActionShowMenu(), tracker)
    assert all_text(messages) == t("th", "menu.prompt")
    assert events == []


def test_slot_language_wins_over_a_short_message_in_another_language() -> None:
    messages, events = run_action(ActionShowMenu(), make_tracker("ok", slots={"language": "vi"}))
    assert all_text(messages) == t("vi", "menu.prompt")
    assert events == []


def test_set_language_from_button_entity() -> None:
    tracker = make_tracker(
        '/change_language{"language": "km"}',
        intent="change_language",
        entities=[{"entity": "language", "value": "km"}],
    )
    messages, events = run_action(ActionChangeLanguage(), tracker)
    assert events == [SlotSet("language", "km")]
    assert t("km", "language.set") in all_text(messages)
    assert all(b["title"] == t("km", "menu.check_offer") for b in all_buttons(messages)[:1])


def test_set_language_from_typed_english_name() -> None:
    tracker = make_tracker("Vietnamese please", intent="change_language")
    _, events = run_action(ActionChangeLanguage(), tracker)
    assert events == [SlotSet("language", "vi")]


def test_change_language_without_a_name_offers_the_choice() -> None:
    tracker = make_tracker("i want another language", intent="change_language")
    messages, events = run_action(ActionChangeLanguage(), tracker)
    assert events == []
    assert len(all_buttons(messages)) == len(LANGUAGES)


def test_fallback_is_honest_and_shows_the_menu() -> None:
    messages, _ = run_action(ActionFallback(), make_tracker("asdfgh", slots={"language": "en"}))
    assert t("en", "fallback.not_understood") in all_text(messages)
    assert any(b["payload"] == "/need_help" for b in all_buttons(messages))


def test_ask_offer_prompts_for_text() -> None:
    messages, _ = run_action(
        ActionAskOffer(), make_tracker("/check_offer", slots={"language": "en"})
    )
    assert all_text(messages) == t("en", "offer.ask")


RISKY = (
    "Customer service staff needed in Bangkok. 40,000 baht monthly, free ticket and free hotel, "
    "no experience required. Visa arranged by the company. Contact HR on Telegram."
)
ORDINARY = (
    "Warehouse packer in Penang, RM 1,700 per month, 8-hour shifts, EPF and SOCSO provided. "
    "Apply at the warehouse office with your IC."
)


def test_check_risky_offer_explains_flags_and_gives_hotline() -> None:
    messages, _ = run_action(
        ActionCheckJobOffer(), make_tracker(RISKY, intent="job_offer", slots={"language": "en"})
    )
    text = all_text(messages)
    assert t("en", "offer.verdict.high") in text
    assert text.count("• ") >= 3  # one line per flag
    assert t("en", "offer.next_steps") in text
    assert PHONE.search(text), "a high-risk verdict gives a hotline number"


def test_check_ordinary_offer_never_says_safe() -> None:
    messages, _ = run_action(
        ActionCheckJobOffer(), make_tracker(ORDINARY, intent="job_offer", slots={"language": "en"})
    )
    text = all_text(messages)
    assert t("en", "offer.verdict.low") in text
    assert t("en", "offer.verify_anyway") in text
    assert "is safe" not in text.replace("does not prove that the offer is safe", "")


def test_check_offer_replies_in_the_offer_language() -> None:
    thai = "รับสมัครแอดมินตอบแชท ทำงานต่างประเทศ รายได้สูง ไม่ต้องมีประสบการณ์ มีที่พักและอาหารให้"
    messages, _ = run_action(ActionCheckJobOffer(), make_tracker(thai, intent="job_offer"))
    assert t("th", "offer.verdict.high") in all_text(messages) or t(
        "th", "offer.verdict.medium"
    ) in all_text(messages)


def test_photo_without_text_gets_an_honest_answer() -> None:
    tracker = make_tracker(
        "", intent="job_offer", slots={"language": "en"}, metadata={"has_photo": True}
    )
    messages, _ = run_action(ActionCheckJobOffer(), tracker)
    assert all_text(messages) == t("en", "offer.photo_needs_text")


def test_faq_menu_lists_topics_and_a_topic_answer_ends_with_source() -> None:
    messages, _ = run_action(
        ActionAnswerFaq(), make_tracker("/ask_faq", intent="ask_faq", slots={"language": "en"})
    )
    buttons = all_buttons(messages)
    assert len(buttons) >= 12
    topic_id = buttons[0]["payload"].split('"faq_topic": "')[1].rstrip('"}')
    tracker = make_tracker(
        buttons[0]["payload"],
        intent="ask_faq",
        slots={"language": "km"},
        entities=[{"entity": "faq_topic", "value": topic_id}],
    )
    messages, _ = run_action(ActionAnswerFaq(), tracker)
    prefix = t("km", "faq.source", source="")
    assert prefix.strip() in all_text(messages).splitlines()[-1]


def test_help_path_shows_a_hotline_and_asks_the_country() -> None:
    messages, events = run_action(
        ActionHelp(), make_tracker("/need_help", intent="need_help", slots={"language": "th"})
    )
    text = all_text(messages)
    assert PHONE.search(text)
    assert t("th", "help.ask_country") in text
    tracker = make_tracker(
        '/need_help{"country": "TH"}',
        intent="need_help",
        slots={"language": "th"},
        entities=[{"entity": "country", "value": "TH"}],
    )
    messages, events = run_action(ActionHelp(), tracker)
    assert "1800 010 182" in all_text(messages)  # Issara's Lao/Thai line (confirmed)
    assert SlotSet("country", "TH") in events
    assert t("th", "help.ask_country") not in all_text(messages), "asked once, then remembered"
    assert t("th", "help.ask_passport") in all_text(messages)


def test_the_passport_question_is_answered_with_one_tap_or_a_typed_name() -> None:
    tracker = make_tracker(
        '/need_help{"nationality": "PH"}',
        intent="need_help",
        slots={"language": "en", "country": "MM"},
        entities=[{"entity": "nationality", "value": "PH"}],
    )
    messages, events = run_action(ActionHelp(), tracker)
    text = all_text(messages)
    assert text.startswith(t("en", "contacts.call"))
    assert "+95 998 521 0991" in text.splitlines()[1], "the embassy in Myanmar, first"
    assert SlotSet("nationality", "PH") in events and SlotSet("country", "MM") in events
    # "Other": the next message is a country's name, in any language.
    tracker = make_tracker(
        '/need_help{"nationality": "other"}',
        intent="need_help",
        entities=[{"entity": "nationality", "value": "other"}],
    )
    messages, events = run_action(ActionHelp(), tracker)
    assert all_text(messages) == t("en", "help.write_country")
    assert SlotSet("place_question", "nationality") in events
    tracker = make_tracker(
        "肯尼亚",
        intent="need_help",
        slots={"language": "zh", "place_question": "nationality"},
        entities=[{"entity": "place", "value": "KE"}],
    )
    messages, events = run_action(ActionHelp(), tracker)
    assert "+254 114 757 002" in all_text(messages)
    assert SlotSet("nationality", "KE") in events and SlotSet("place_question", None) in events
    assert t("zh", "help.ask_country") in all_text(messages)


def test_an_app_or_web_only_contact_prints_its_address() -> None:
    tracker = make_tracker(
        "/need_help", intent="need_help", slots={"language": "en", "nationality": "IN"}
    )
    text = all_text(run_action(ActionHelp(), tracker)[0])
    assert "https://www.madad.gov.in" in text and "None" not in text


def test_distress_first_reply_has_hotline_for_the_place_named() -> None:
    tracker = make_tracker(
        "help me i am in myawaddy they took my passport and beat us", intent="distress"
    )
    messages, events = run_action(ActionDistress(), tracker)
    first = messages[0]["text"]
    assert PHONE.search(first), "the very first reply carries a number"
    assert "my brother" not in first and "passport" not in first  # does not repeat the user's words


def test_a_question_answered_as_distress_also_gets_its_answer() -> None:
    text = "what can someone do if they get trapped in a scam company"
    ranking = [
        {"name": "distress", "confidence": 1.0},  # the safety router's override
        {"name": "ask_faq", "confidence": 0.81},  # what the classifier understood
        {"name": "need_help", "confidence": 0.1},
    ]
    tracker = make_tracker(text, intent="distress", ranking=ranking)
    messages, _ = run_action(ActionDistress(), tracker)
    answer = topic("already_trapped").text("answer", "en")  # type: ignore[union-attr]
    # The hotlines first, then the answer to the question.
    assert [m["text"].split("\n\n")[0] for m in messages].index(answer) >= 1
    assert messages[-1]["text"] == t("en", "consent.ask"), "then the offer of a caseworker"
    # A plea the classifier itself read as distress gets no FAQ answer.
    ranking[1]["confidence"] = 0.3
    messages, _ = run_action(ActionDistress(), tracker)
    assert all(answer not in m["text"] for m in messages)


def test_a_pasted_ad_answered_as_distress_also_gets_its_red_flags() -> None:
    # "The company keeps your passport" makes triage answer first; the ad's flags follow.
    ad = (
        "Kerja ngetik di Myanmar, gaji 25 juta, gak perlu keahlian, paspor disimpan "
        "perusahaan, tiket pesawat gratis, berangkat besok, hubungi lewat Telegram."
    )
    ranking = [
        {"name": "distress", "confidence": 1.0},
        {"name": "job_offer", "confidence": 0.9},  # the classifier read an ad
    ]
    tracker = make_tracker(ad, intent="distress", ranking=ranking)
    messages, _ = run_action(ActionDistress(), tracker)
    texts = [m["text"] for m in messages]
    verdict = next(i for i, text in enumerate(texts) if t("id", "offer.verdict.high") in text)
    assert 0 < verdict < len(texts) - 1, "after the hotlines, before the offer of a caseworker"
    assert texts[-1] == t("id", "consent.ask")


def test_a_victims_story_is_not_graded_as_an_offer() -> None:
    story = (
        "the agent promised me a job in thailand with salary 1000 usd, free visa and free "
        "ticket, contact on telegram, now im in myawaddy and they beat us, please help"
    )
    ranking = [{"name": "distress", "confidence": 1.0}, {"name": "job_offer", "confidence": 0.7}]
    tracker = make_tracker(story, intent="distress", ranking=ranking)
    messages, _ = run_action(ActionDistress(), tracker)
    verdicts = [t("en", f"offer.verdict.{risk}") for risk in ("high", "medium", "low")]
    assert not any(v in m["text"] for m in messages for v in verdicts)


def test_distress_in_thai_is_answered_in_thai() -> None:
    tracker = make_tracker("ช่วยด้วยค่ะ โดนขังอยู่ ออกไปไม่ได้", intent="distress")
    messages, _ = run_action(ActionDistress(), tracker)
    first = messages[0]["text"].splitlines()[0]
    keys = ("contacts.call", "contacts.emergency", "contacts.none")
    assert first in {t("th", k).splitlines()[0] for k in keys}
