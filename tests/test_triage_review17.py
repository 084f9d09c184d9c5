"""Session 14 review (review17b) of the close17 and cries17 changes: the reviewer's own texts.

tests/data/compound_review17.jsonl: 138 invented texts from people in a compound, each written to
fall inside one of the round's new guards, exceptions or rules (a drama's heroine "like my sister",
a game the boss plays, a flight AND saved pills, a deadline AND an electric shock, "now I am NOT
safe", the Indonesian "3 hajar aku", a farewell beside a shift). ``expect`` holds the decisions,
stored, not computed here: distress where the base (093128b) or the fixed change found it,
emergency likewise; ``signals`` are those both matched. The first version hid 7 and dropped 15
emergencies to urgent; the fix (reviewer's exceptions, applied in 2968cd2's successor) brought
both to 0. Three texts no version finds are ``known_missed`` (a joke-toned Nepali list, a Thai and
a Burmese indirect text).
tests/data/everyday_review17.jsonl: 41 everyday texts with the same words. ``not_distress`` stay
quiet; ``known_raised`` are raised by the first stage alone (no signal: "don't look for me, I'm
going to the market" in km, lo, ne, tl and a Burmese film plot), never as an emergency."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.engines.triage import match_signals, triage

_DATA = Path(__file__).parent / "data"
KNOWN_MISSED = {"ne-c07", "th-c12", "my-c09"}
KNOWN_RAISED = {"tl-e04", "km-e03", "lo-e02", "my-e03", "ne-e03"}


def _load(name: str) -> list[dict]:
    lines = (_DATA / name).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


COMPOUND = _load("compound_review17.jsonl")
EVERYDAY = _load("everyday_review17.jsonl")


def _cases(rows: list[dict], expect: str) -> list:
    return [pytest.param(r, id=r["id"]) for r in rows if expect in r["expect"]]


def test_the_review_data_is_complete() -> None:
    assert len(COMPOUND) == 138 and len(EVERYDAY) == 41
    assert {r["id"] for r in COMPOUND if "known_missed" in r["expect"]} == KNOWN_MISSED
    assert {r["id"] for r in EVERYDAY if "known_raised" in r["expect"]} == KNOWN_RAISED


@pytest.mark.parametrize("row", _cases(COMPOUND, "distress"))
def test_a_compound_cry_stays_distress(row: dict) -> None:
    assert triage(row["text"]).distress


@pytest.mark.parametrize("row", _cases(COMPOUND, "emergency"))
def test_a_compound_emergency_stays_an_emergency(row: dict) -> None:
    assert triage(row["text"]).severity == "emergency"


@pytest.mark.parametrize("row", [pytest.param(r, id=r["id"]) for r in COMPOUND if r["signals"]])
def test_no_guard_takes_a_signal_from_a_compound_cry(row: dict) -> None:
    assert set(row["signals"]) <= set(match_signals(row["text"]))


@pytest.mark.parametrize("row", _cases(EVERYDAY, "not_distress"))
def test_an_everyday_text_with_the_same_words_is_not_distress(row: dict) -> None:
    assert not triage(row["text"]).distress


@pytest.mark.parametrize("row", _cases(EVERYDAY, "not_emergency"))
def test_an_everyday_text_is_never_an_emergency(row: dict) -> None:
    assert triage(row["text"]).severity != "emergency"


@pytest.mark.parametrize("text", [
    "natak garchhas? kaam gar bhanera kutyo, biramii chhu",
    "बिरामी छु भन्दा नाटक नगर भन्दै कुट्यो",
])
def test_nepali_stop_pretending_is_no_play(text: str) -> None:
    # "natak na gar" is said to a sick worker; it must not open the film veto on a beating
    assert "MEDIA" not in match_signals(text)
    assert triage(text).severity == "emergency"
