"""Session 13: a helper's texts written blind before the round's guards (never seen by a tuner).

tests/data/everyday_writer16.jsonl: 100 everyday texts of free people with alarming words (a boss
who "will kill me", traffic, exams, dramas, a pet put to sleep, a sold motorbike...), ten a
language; tests/data/compound_writer16.jsonl: 80 texts from people in a compound using the same
words. ``expect`` is the decision at the end of the round (376fc01), stored: cries found stay
found and emergencies stay emergencies; everyday texts left quiet stay quiet. The rest is on
record, not wanted: 18 everyday texts still raised (8 as emergencies: a boss "will kill me" in
km and lo, "stuck in traffic, I want to die" kept by the SUICIDAL rule, a pet put to sleep) and
3 compound cries missed (taken across a river at night, forced to scam 16 hours a day unpaid, in
my, th and zh: the second stage vetoes them at 0.16-0.27; the next round's first case). Session
14 (cries17): found by the compound rule (recogniser.compound_signals,
tests/test_triage_compound.py), so they are expected distress now and none is a known miss.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.engines.triage import triage

_DATA = Path(__file__).parent / "data"


def _load(name: str) -> list[dict]:
    lines = (_DATA / name).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


EVERYDAY = _load("everyday_writer16.jsonl")
COMPOUND = _load("compound_writer16.jsonl")


def _cases(rows: list[dict], expect: str) -> list:
    return [pytest.param(r["text"], id=r["id"]) for r in rows if expect in r["expect"]]


def test_the_known_misses_are_few() -> None:
    assert sum("known_missed" in r["expect"] for r in COMPOUND) <= 0
    assert sum("known_raised" in r["expect"] for r in EVERYDAY) <= 18


@pytest.mark.parametrize("text", _cases(COMPOUND, "distress"))
def test_a_compound_cry_stays_distress(text: str) -> None:
    assert triage(text).distress


@pytest.mark.parametrize("text", _cases(COMPOUND, "emergency"))
def test_a_compound_emergency_stays_an_emergency(text: str) -> None:
    assert triage(text).severity == "emergency"


@pytest.mark.parametrize("text", _cases(EVERYDAY, "not_distress"))
def test_an_everyday_text_left_quiet_stays_quiet(text: str) -> None:
    assert not triage(text).distress


@pytest.mark.parametrize("text", _cases(EVERYDAY, "not_emergency"))
def test_an_everyday_text_raised_as_urgent_is_no_emergency(text: str) -> None:
    assert triage(text).severity != "emergency"
