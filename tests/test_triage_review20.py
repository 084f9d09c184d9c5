"""Session 18 review of a round of romanised Khmer, Lao and Thai cry patterns (roman18, reverted).

tests/data/everyday_review20.jsonl: 103 everyday texts a reviewer wrote in romanised and script
Khmer, Lao and Thai (a plug's shock, the rice we eat every day, a darkroom, music class, a diet,
fasting before surgery, a car sold on, a game round, a class monitor, a bonus cut...). The round
of ~80 patterns made 15 of them emergencies; it was reverted and two older patterns they exposed
were anchored (Thai "tee ... jep" at a place; "my car was sold on"). None may be an emergency.
Those the models left quiet stay quiet; the other 58 are urgent false alarms of the learned
stages on romanised everyday text with cry words — known, measured, not hidden (README); two of
them (th04, f03) since the release of session 21, marked in the data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.engines.triage import triage
from tests.helpers import signal_severity

_ROWS = [json.loads(line) for line in
         (Path(__file__).parent / "data" / "everyday_review20.jsonl").read_text(
             encoding="utf-8").splitlines() if line.strip()]


def _cases(expect: str) -> list:
    return [pytest.param(r["text"], id=r["id"]) for r in _ROWS if expect in r["expect"]]


def test_the_review_data_is_complete() -> None:
    assert len(_ROWS) == 103


@pytest.mark.parametrize("text", _cases("not_emergency"))
def test_an_everyday_romanised_text_is_no_emergency(text: str) -> None:
    assert signal_severity(text) != "emergency"


#: A named cost of session 26 (README "Session 26"): "I don't know which province, Angkor Wat"
#: (a tourist) reads like the development sets' "don't know where I am" to the first stage once it
#: learns them. Not an emergency.
RAISED = {"km16"}


@pytest.mark.parametrize(("text", "raised"), [
    pytest.param(r["text"], r["id"] in RAISED, id=r["id"])
    for r in _ROWS if "not_distress" in r["expect"]])
def test_an_everyday_romanised_text_the_models_left_alone_stays_quiet(text: str,
                                                                      raised: bool) -> None:
    result = triage(text)
    assert result.distress == raised  # a named one that goes quiet again leaves the list
    assert result.severity != "emergency"
