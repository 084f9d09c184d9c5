"""Session 18 review of a round of height and hoarded-pill hints of suicide (heights18, reverted).

tests/data/everyday_review21.jsonl: 98 everyday texts a reviewer wrote in the ten languages with
the words of being somewhere high or keeping medicine (a roofer, a flat viewing, lunch on the
office roof, waiting on a bridge, a window without bars, mum's pills in the cupboard, vitamins).
The round made 78 of them emergencies and was reverted: "looking down", "so high", "the water is
deep" are what anyone says up there. Seven were emergencies through the hoarded-pill hints of
sessions 15-16 (tablets saved for Ramadan or the dentist, mum's sleeping pills from the hospital,
"collected enough, no need to buy more this month", stomach-ache pills, dad's pills put in a
box): six of those hints are now anchored (each keeps its cries: ``HOARDED_CRIES``); one, "I've
put sleeping pills away in the drawer" (Nepali), is a hint as written and stays an emergency."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.engines.triage import triage
from tests.helpers import signal_severity

_ROWS = [json.loads(line) for line in
         (Path(__file__).parent / "data" / "everyday_review21.jsonl").read_text(
             encoding="utf-8").splitlines() if line.strip()]

#: Everyday texts the older hoarded-pill patterns still make emergencies (known, not wanted).
KNOWN_EMERGENCY = {"ne-07"}

#: Hoarded pills with a farewell or a wish beside them: the anchored hints still find them.
HOARDED_CRIES = [
    "been saving my painkillers for weeks. tell mum im sorry",
    "ive saved up enough sleeping pills. i cant do this anymore",
    "แอบเก็บยานอนหลับไว้ 30 เม็ดแล้ว ขอโทษนะแม่",
    "เก็บยานอนหลับไว้ได้เยอะแล้ว พอแล้วกับชีวิตนี้",
    "အိပ်ဆေးတွေ စုထားတယ် မနေချင်တော့ဘူး",
    "ខ្ញុំសន្សំថ្នាំងងុយដេកបានច្រើនហើយ មិនចង់រស់ទៀតទេ",
]


def _cases(expect: str) -> list:
    return [pytest.param(r["text"], id=r["id"]) for r in _ROWS if expect in r["expect"]]


def test_the_review_data_is_complete() -> None:
    assert len(_ROWS) == 98
    assert {r["id"] for r in _ROWS if "known_emergency" in r["expect"]} == KNOWN_EMERGENCY


@pytest.mark.parametrize("text", _cases("not_emergency"))
def test_an_everyday_text_at_a_height_or_with_pills_is_no_emergency(text: str) -> None:
    assert signal_severity(text) != "emergency"


@pytest.mark.parametrize("text", HOARDED_CRIES)
def test_hoarded_pills_beside_a_farewell_stay_an_emergency(text: str) -> None:
    assert triage(text).severity == "emergency"


#: Everyday texts the concept stage (session 25) raises, named: "on the 5th-floor roof drying
#: crackers, so quiet down there" names a height, a building and a look down as the rooftop hints
#: do, and the first stage leans that way too. Not an emergency. ("Stood at the window on the 25th
#: floor looking down, my mum said no way", en-06, went quiet in session 26: concept_above 0.92.)
CONCEPT_RAISED = {"id-08"}
#: Session 26: the first stage learns the development sets (at ``DEVELOPMENT_WEIGHT``) and raises
#: two texts of pills kept at home, "mum's sleeping pills are in the cupboard,
#: 5 left" and "I keep melatonin for my child": the hint sets ask how many sleeping pills are
#: enough. Named costs (README "Session 26"); the second gets the emergency card (the severity
#: stage, which learned the hint sets wh5, wh6 and whd6, scores it above emergency_alone_above).
DEVELOPMENT_RAISED = {"id-02", "tl-05"}
EMERGENCY_CARD = {"tl-05"}


def _quiet_cases() -> list:
    return [pytest.param(r["text"], r["id"] in CONCEPT_RAISED | DEVELOPMENT_RAISED,
                         r["id"] in EMERGENCY_CARD, id=r["id"])
            for r in _ROWS if "not_distress" in r["expect"]]


@pytest.mark.parametrize(("text", "raised", "card"), _quiet_cases())
def test_an_everyday_text_the_models_left_alone_stays_quiet(text: str, raised: bool,
                                                            card: bool) -> None:
    result = triage(text)
    assert result.distress == raised  # a named one that goes quiet again leaves the list
    assert (result.severity == "emergency") == card
