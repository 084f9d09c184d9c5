"""Session 12 review (review15) of the new short-cry signals: the reviewer's own texts.

tests/data/everyday_review15.jsonl: 94 everyday texts of free people with the cry words (paint,
travel medicine, a sold shop, a parent's stock threat, a fever queue, pounding rice, an
electricity bill, a prank lock...), ten languages and romanised forms. None is an emergency;
those the base model did not call distress stay not distress, except two the release of
batches 29, 30 and the fourth probe (session 13) moved over the first stage's bar with no signal
(lo2, a plot of land sold to another company, 0.42; vi1, locked out for a forgotten key, 0.47)
and one the release of batches 35-36 and the first wish probe (session 16) moved (zh6, cold
medicine saved up to take abroad, 0.42: saved pills are a hint of suicide in that probe's cries)
and two the release of the two blind wish-to-die development sets (session 17) moved (km4, old
clothes given away before moving house, 0.45: giving things away is a hint in their cries; vi4,
"no idea where this is, all forest and mountains, so pretty", 0.43) and two the release of
batches 39-40 and probes sp9, wp3 (session 18) moved (my1, a romanised electricity bill paid,
0.40; vi5, a broken fridge and melted jam, 0.44): urgent false alarms, known, not hidden.
tests/data/compound_review15.jsonl: 69 paraphrased texts from people in a compound (all distress,
the emergencies the new signals give kept), and 10 wishes to die beside the new gate words
(ids w*): every gate of a new pattern leaves them SUICIDAL emergencies (no guard hides a wish)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.engines.triage import match_signals, triage
from tests.helpers import signal_severity

_DATA = Path(__file__).parent / "data"


def _load(name: str) -> list[dict]:
    lines = (_DATA / name).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


EVERYDAY = _load("everyday_review15.jsonl")
COMPOUND = _load("compound_review15.jsonl")


def _cases(rows: list[dict], expect: str) -> list:
    return [pytest.param(r["text"], id=r["id"]) for r in rows if expect in r["expect"]]


@pytest.mark.parametrize("text", _cases(EVERYDAY, "not_emergency"))
def test_an_everyday_text_with_the_cry_words_is_no_emergency(text: str) -> None:
    assert signal_severity(text) != "emergency"


#: Named costs of session 26 (README "Session 26"): "moved to another branch of the company next
#: month, glad" names being transferred to another company as the resold cries do; the concept
#: stage scores it 0.92 since its tables gained a second writer. Not an emergency.
RAISED = {"id5"}


@pytest.mark.parametrize(("text", "raised"), [
    pytest.param(r["text"], r["id"] in RAISED, id=r["id"])
    for r in EVERYDAY if "not_distress" in r["expect"]])
def test_an_everyday_text_the_base_left_alone_is_not_distress(text: str, raised: bool) -> None:
    result = triage(text)
    assert result.distress == raised  # a named one that goes quiet again leaves the list
    assert result.severity != "emergency"


@pytest.mark.parametrize("text", _cases(COMPOUND, "distress"))
def test_a_paraphrased_cry_from_a_compound_is_distress(text: str) -> None:
    assert triage(text).distress


@pytest.mark.parametrize("text", _cases(COMPOUND, "emergency"))
def test_a_paraphrased_emergency_stays_an_emergency(text: str) -> None:
    assert triage(text).severity == "emergency"


@pytest.mark.parametrize("text", _cases(COMPOUND, "suicidal"))
def test_a_wish_to_die_beside_a_gate_word_stays_suicidal(text: str) -> None:
    assert "SUICIDAL" in match_signals(text)
    assert triage(text).severity == "emergency"
