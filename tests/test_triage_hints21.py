"""Hints of suicide without the word (issue #14, session 21, hint21), and bare wishes to die.

The wish development sets (rd16-rd19, held out) showed hints that raised no signal: how many
pills "is enough", a rope "strong enough for a person", goodbye for good, wanting to vanish,
sleeping and never waking, "tonight it ends", last words to a child. Tuners wrote SUICIDAL patterns
for them in every language against the development look-alikes (rd20: dose questions for a fever,
goodbyes before a move, a rope for camping...) and every labelled close call; a second round on a
fresh development set (rd21) covered what the first still missed (decided + a time, letters
written, arrangements, charcoal, poison, a rope for a weight). The cries and look-alikes of
``tests/data/triage_hints21.json`` are the tuners' own new wording, not the development rows.
A sealed set written before the rounds measured the gain (README "Session 21").

A wish to die that names nothing else ("toi muon chet", "好想死 😢") is an emergency even when
both stages read it as hyperbole (``check_in_bare_letters``); one that names its everyday cause
("明天考高数，想死") still gets the check-in.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from bot.engines import distress_content
from bot.engines.triage import match_signals, triage
from tests.helpers import StagesSay, use_content

#: The tuners' own cries and everyday look-alikes, ten languages, both rounds (16 + 16 a language).
CASES = json.loads((Path(__file__).parent / "data" / "triage_hints21.json").read_text("utf-8"))
CRIES = {lang: cases["cries"] for lang, cases in CASES.items()}
EVERYDAY = {lang: cases["everyday"] for lang, cases in CASES.items()}

#: Wishes to die with nothing else, and wishes that name an everyday cause (no joke marker).
BARE_WISHES = ["toi muon chet", "em muon chet", "better off dead", "gonna end my life",
               "pengen mati aja 😭", "ฉันอยากตาย 😢", "好想死 😢", "想死", "yak tai 😭",
               "ma marna chahanchu 😭", "nga thay chin pyi 😭", "ខ្ញុំចង់ស្លាប់"]
WISHES_WITH_A_CAUSE = ["明天考高数，想死", "finals tomorrow. i want to die",
                       "surabaya panas bgt hari ini sumpah pengen mati rasanya",
                       "ประชุมสามชั่วโมง อยากตาย", "kẹt xe 2 tiếng rồi, muốn chết"]


def _cases(table: dict[str, list[str]]) -> list:
    return [pytest.param(text, id=f"{lang}-{i}") for lang, texts in table.items()
            for i, text in enumerate(texts)]


@pytest.fixture
def stages(monkeypatch: pytest.MonkeyPatch):  # noqa: ANN201
    """Set both stages' probabilities for the engine."""
    data = distress_content.content()

    def use(first: float, second: float) -> None:
        use_content(monkeypatch, replace(data, recogniser=StagesSay(first, second)))

    use.data = data  # type: ignore[attr-defined]
    return use


def test_every_language_is_tested_both_ways() -> None:
    langs = {"en", "id", "km", "lo", "my", "ne", "th", "tl", "vi", "zh"}
    assert set(CRIES) == set(EVERYDAY) == langs


@pytest.mark.parametrize("text", _cases(CRIES))
def test_a_hint_of_suicide_is_suicidal(text: str) -> None:
    assert "SUICIDAL" in match_signals(text), text


@pytest.mark.parametrize("text", _cases(EVERYDAY))
def test_its_everyday_look_alike_is_not(text: str) -> None:
    assert "SUICIDAL" not in match_signals(text), text


@pytest.mark.parametrize("text", BARE_WISHES)
def test_a_bare_wish_to_die_is_an_emergency_whatever_the_models_say(stages, text: str) -> None:  # noqa: ANN001
    assert "SUICIDAL" in match_signals(text), text
    low = stages.data.check_in_below / 2
    stages(low, low)
    result = triage(text)
    assert result.distress and result.severity == "emergency" and not result.check_in, text


@pytest.mark.parametrize("text", WISHES_WITH_A_CAUSE)
def test_a_wish_that_names_its_everyday_cause_still_gets_a_check_in(stages, text: str) -> None:  # noqa: ANN001
    assert "SUICIDAL" in match_signals(text), text
    low = stages.data.check_in_below / 2
    stages(low, low)
    result = triage(text)
    assert result.check_in and not result.distress, text
