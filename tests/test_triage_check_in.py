"""A wish to die read as hyperbole gets a check-in, not the distress card (issue #14, session 15).

Before, a wish to die always got the card: 17 of the 25 close calls raised on session 14's sealed
pair were "exam tomorrow, I want to die" and its kin. Now, when only a wish to die
(``recogniser.check_in_signals``) calls a message distress, with no FIRST_HAND signal, and both
stages score it below ``check_in_below``, the answer is a check-in: a question, the emergency
contacts in the same reply and a caseworker one tap away. Any other signal of distress keeps the
card. The bot, the degraded channel and ``python -m bot triage`` decide it the same way.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from rasa.shared.nlu.training_data.message import Message

from actions import help as help_actions
from actions.handover import CONSENT_SLOT, ActionDeclineCase, consent_buttons
from actions.help import ActionDistress
from bot.engines import distress_content
from bot.engines.patterns import compile_regex
from bot.engines.triage import Triage, match_signals, triage
from bot.i18n import t
from bot.rasa_components.router import DISTRESS_INTENT, route
from tests.helpers import (
    StagesSay,
    all_buttons,
    all_text,
    assert_recogniser_setting_rejected,
    make_tracker,
    run_action,
    use_content,
)

HYPERBOLE = "ugh i want to die this exam is impossible"
#: The same wish beside another signal of distress, or said to be meant.
KEPT = [
    "i want to die, they beat me again last night",
    "im not joking i want to die",
]


@pytest.fixture
def stages(monkeypatch: pytest.MonkeyPatch):  # noqa: ANN201
    """Set both stages' probabilities (and any content change) for the engine."""

    data = distress_content.content()
    assert data.check_in_signals == {"SUICIDAL"} and 0 < data.check_in_below <= 0.5

    def use(first: float, second: float, **changes: object) -> None:
        swapped = replace(data, recogniser=StagesSay(first, second), **changes)
        use_content(monkeypatch, swapped)

    use.data = data  # type: ignore[attr-defined]
    return use


def test_a_wish_to_die_both_stages_read_as_hyperbole_gets_a_check_in(stages) -> None:  # noqa: ANN001
    low = stages.data.check_in_below / 2
    stages(low, low)
    assert match_signals(HYPERBOLE) and "SUICIDAL" in match_signals(HYPERBOLE)
    result = triage(HYPERBOLE)
    assert result.check_in and not result.distress and result.severity == "none"
    assert result.reaches_out and result.to_dict()["check_in"] is True


@pytest.mark.parametrize(("first", "second"), [(0.25, 0.01), (0.01, 0.25), (0.9, 0.9)])
def test_either_stage_at_the_bar_keeps_the_card(stages, first: float, second: float) -> None:  # noqa: ANN001
    stages(first, second, check_in_rest_below=0.0)  # the rest of the message: its own tests
    result = triage(HYPERBOLE)
    assert result.distress and result.severity == "emergency" and not result.check_in


@pytest.mark.parametrize("text", KEPT)
def test_another_signal_or_a_meant_wish_keeps_the_card(stages, text: str) -> None:  # noqa: ANN001
    stages(0.01, 0.01)
    result = triage(text)
    assert result.distress and result.severity == "emergency" and not result.check_in, text


def test_the_setting_off_gives_the_card_as_before(stages) -> None:  # noqa: ANN001
    stages(0.01, 0.01, check_in_below=0.0)
    result = triage(HYPERBOLE)
    assert result.distress and not result.check_in


def test_a_code_word_is_never_a_check_in(stages) -> None:  # noqa: ANN001
    stages(0.01, 0.01, code_words=compile_regex("blue umbrella"))
    result = triage("blue umbrella, ugh i want to die this exam is impossible")
    assert result.distress and not result.check_in


def test_the_router_sends_a_check_in_to_the_distress_action(stages) -> None:  # noqa: ANN001
    stages(0.01, 0.01)
    ranking = [{"name": "greet", "confidence": 0.8}]
    message = Message(data={"text": HYPERBOLE, "intent": ranking[0], "intent_ranking": ranking})
    route(message)
    assert message.get("intent")["name"] == DISTRESS_INTENT


CHECK_IN = Triage("en", False, "none", ["SUICIDAL"], confidence=0.05, check_in=True)


def test_the_check_in_asks_gives_the_contacts_and_offers_a_caseworker(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(help_actions, "triage", lambda text, language=None: CHECK_IN)
    messages, events = run_action(ActionDistress(), make_tracker(HYPERBOLE, intent="distress"))
    texts = [m["text"] for m in messages]
    assert texts[0].startswith(t("en", "check_in.ask") + "\n\n")
    assert any(ch.isdigit() for ch in texts[0]), "the emergency contacts, in the first message"
    assert texts[1:] == [t("en", "consent.ask")], "the card's own question, no place questions"
    assert all_buttons(messages) == consent_buttons("en"), "a caseworker one tap away"
    assert {"event": "slot", "name": CONSENT_SLOT, "value": True} in [
        {k: e.get(k) for k in ("event", "name", "value")} for e in events
    ], 'a typed "yes" opens a case, "no" lets it go'
    assert HYPERBOLE not in all_text(messages)


def test_with_no_contact_at_all_the_card_answers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(help_actions, "triage", lambda text, language=None: CHECK_IN)
    monkeypatch.setattr(help_actions, "contacts_for", lambda *args, **kwargs: [])
    messages, _ = run_action(ActionDistress(), make_tracker(HYPERBOLE, intent="distress"))
    assert messages[0]["text"] == t("en", "contacts.none")
    assert messages[-1]["text"] == t("en", "consent.ask"), 'its "Yes" button is there'


def test_in_a_group_the_check_in_offers_no_caseworker(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(help_actions, "triage", lambda text, language=None: CHECK_IN)
    tracker = make_tracker(HYPERBOLE, "distress", sender_id="telegram:-100222",
                           channel="telegram",
                           metadata={"private_chat_url": "https://t.me/x_bot?start=help"})
    messages, _ = run_action(ActionDistress(), tracker)
    assert any(ch.isdigit() for ch in all_text(messages))
    assert t("en", "consent.ask") not in all_text(messages)
    assert t("en", "group.private") in all_text(messages)


def test_the_degraded_channel_gives_a_check_in_contacts(monkeypatch: pytest.MonkeyPatch) -> None:
    from bot.channels import degraded

    monkeypatch.setattr(degraded, "triage", lambda text, language=None: CHECK_IN)
    reply = degraded.degraded_reply(HYPERBOLE, "en")
    assert reply != t("en", "degraded.unavailable") and any(ch.isdigit() for ch in reply)


@pytest.mark.parametrize(("line", "field"), [
    ("  check_in_below: 0.6\n", "check_in_below"),
    ("  check_in_below: true\n", "check_in_below"),
    ("  check_in_signals: [NOPE]\n", "check_in_signals"),
    ("  check_in_bare_letters: -1\n", "check_in_bare_letters"),
    ("  check_in_bare_letters: 2.5\n", "check_in_bare_letters"),
])
def test_check_in_settings_are_checked(tmp_path, line: str, field: str) -> None:  # noqa: ANN001
    assert_recogniser_setting_rejected(tmp_path, line, field)


@pytest.mark.parametrize(("reply", "declined"), [
    ("no", True),
    ("no, i'm not joking", False),
    ("不是开玩笑", False),
    ("hindi ako nagbibiro", False),
])
def test_no_i_am_not_joking_is_not_a_no_to_the_caseworker(reply: str, declined: bool) -> None:
    """After the question, "no" declines; "no, I'm not joking" (a first-hand signal) asks again."""
    tracker = make_tracker(reply, intent="deny", slots={"language": "en", CONSENT_SLOT: True})
    messages, events = run_action(ActionDeclineCase(), tracker)
    assert (messages[-1]["text"] == t("en", "consent.declined")) is declined
    assert any(e.get("name") == CONSENT_SLOT and e.get("value") is False
               for e in events) is declined
    if not declined:
        assert all_buttons(messages) == consent_buttons("en")


@pytest.mark.parametrize(("result", "severity"), [
    (CHECK_IN, "emergency"),  # a wish to die: the emergency contacts, an emergency case
    (Triage("en", True, "urgent", ["CONFINEMENT"]), "urgent"),
    (Triage("en", False, "none"), "none"),
])
def test_the_severity_to_act_on_treats_a_check_in_as_an_emergency(result: Triage,
                                                                  severity: str) -> None:
    assert result.case_severity == severity


@pytest.mark.parametrize(("text", "first_hand"), [
    ("no, i'm not joking", True),
    ("不是开玩笑", True),
    ("no", False),
    ("i'm not joking, i'm a survivor and want to share my story", False),  # safe now
])
def test_is_first_hand_is_the_rule_triage_applies(text: str, first_hand: bool) -> None:
    from bot.engines.distress_signals import is_first_hand

    assert is_first_hand(text) is first_hand


#: Session 21 (``check_in_bare_letters``): a wish that names nothing else, no joke marker, is an
#: emergency whatever the models say (both stages scored these below 0.01); one that names its
#: everyday cause still gets the check-in.
BARE_WISHES = ["toi muon chet", "em muon chet", "better off dead", "gonna end my life",
               "pengen mati aja 😭", "ฉันอยากตาย 😢", "好想死 😢", "想死", "yak tai 😭",
               "ma marna chahanchu 😭", "nga thay chin pyi 😭", "ខ្ញុំចង់ស្លាប់",
               "ai giết tôi đi", "tolong bunuh aku sekarang", "杀了我吧"]
WISHES_WITH_A_CAUSE = ["明天考高数，想死", "finals tomorrow. i want to die",
                       "surabaya panas bgt hari ini sumpah pengen mati rasanya",
                       "ประชุมสามชั่วโมง อยากตาย", "kẹt xe 2 tiếng rồi, muốn chết",
                       "ប្រជុំ៣ម៉ោងហើយ សម្លាប់ខ្ញុំទៅ", "谁来杀了我算了，又加班"]


@pytest.mark.parametrize(("text", "bare"), [(t, True) for t in BARE_WISHES]
                         + [(t, False) for t in WISHES_WITH_A_CAUSE])
def test_only_a_wish_that_names_its_everyday_cause_gets_a_check_in(stages, text: str,  # noqa: ANN001
                                                                   bare: bool) -> None:
    assert "SUICIDAL" in match_signals(text), text
    low = stages.data.check_in_below / 2
    stages(low, low)
    result = triage(text)
    assert result.check_in is not bare and result.distress is bare, text
    assert result.severity == ("emergency" if bare else "none"), text


def test_a_bare_wish_beside_a_joke_marker_still_gets_a_check_in(stages) -> None:  # noqa: ANN001
    stages(0.01, 0.01)
    assert triage("want to die lol").check_in


def test_the_bare_rule_can_be_turned_off(stages) -> None:  # noqa: ANN001
    stages(0.01, 0.01, check_in_bare_letters=0)
    assert triage("toi muon chet").check_in
