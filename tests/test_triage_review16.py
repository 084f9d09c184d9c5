"""Session 13 review (review16b) of the close16-signals guards: the reviewer's own texts.

tests/data/compound_review16.jsonl: 113 invented texts from people in a compound, each written to
fall inside one of the new guards or exceptions (a boss who "will kill me" over a report, a game,
a survivor "safe now", news, a drama, a meeting room...). ``expect`` holds the decision the base
(0c208cd, before the guards) made, stored, not computed here: a guard must never hide a cry the
base found, nor drop one of its emergencies to urgent, nor take away a signal the base matched.
tests/data/everyday_review16.jsonl: 58 everyday texts with the same words. Those marked
``not_distress`` stay quiet; the few the guards could not silence without hiding a compound cry
are listed in KNOWN_RAISED (allowed, not wanted)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.engines.triage import match_signals, triage

_DATA = Path(__file__).parent / "data"

#: Everyday texts still raised: silencing them took a guard that hid a compound cry (guests
#: "coming" are clients in a compound; a team leader beats workers; a game or a film clause
#: with a beating beside it; a parent keeping a phone; a parent's "bunuh aku" after "gagal").
#: th-e02 (romanised Thai, mum took my phone, exam tomorrow; no signal, first stage 0.41) since
#: the release of batches 39-40 and probes sp9, wp3 (session 18): release drift, known.
KNOWN_RAISED = {"my-e06", "vi-e02", "id-e02", "tl-e02", "tl-e03", "tl-e04", "ne-e02", "ne-e04",
                "th-e02"}


def _load(name: str) -> list[dict]:
    lines = (_DATA / name).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


EVERYDAY = _load("everyday_review16.jsonl")
COMPOUND = _load("compound_review16.jsonl")


def _cases(rows: list[dict], expect: str) -> list:
    return [pytest.param(r, id=r["id"]) for r in rows if expect in r["expect"]]


def test_the_review_data_is_complete() -> None:
    assert len(COMPOUND) == 113 and len(EVERYDAY) == 58
    assert {r["id"] for r in EVERYDAY if "known_raised" in r["expect"]} == KNOWN_RAISED


@pytest.mark.parametrize("row", _cases(COMPOUND, "distress"))
def test_a_compound_cry_the_base_found_is_still_distress(row: dict) -> None:
    assert triage(row["text"]).distress


@pytest.mark.parametrize("row", _cases(COMPOUND, "emergency"))
def test_a_compound_emergency_the_base_found_stays_an_emergency(row: dict) -> None:
    assert triage(row["text"]).severity == "emergency"


@pytest.mark.parametrize("row", [pytest.param(r, id=r["id"]) for r in COMPOUND if r["signals"]])
def test_no_guard_takes_a_signal_from_a_compound_cry(row: dict) -> None:
    assert set(row["signals"]) <= set(match_signals(row["text"]))


@pytest.mark.parametrize("row", _cases(EVERYDAY, "not_distress"))
def test_an_everyday_text_with_the_guarded_words_is_not_distress(row: dict) -> None:
    assert not triage(row["text"]).distress
