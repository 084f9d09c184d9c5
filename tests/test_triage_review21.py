"""Session 18 review of a round of height and hoarded-pill hints of suicide (heights18, reverted).

tests/data/everyday_review21.jsonl: 98 everyday texts a reviewer wrote in the ten languages with
the words of being somewhere high or keeping medicine (a roofer, a flat viewing, lunch on the
office roof, waiting on a bridge, a window without bars, mum's pills in the cupboard, vitamins).
The round made 78 of them emergencies and was reverted: "looking down", "so high", "the water is
deep" are what anyone says up there. Seven are emergencies through the hoarded-pill hints of
sessions 15-16 (saved tablets for Ramadan or the dentist, mum's sleeping pills from the hospital,
dad's pills put in a box): listed in KNOWN_EMERGENCY, allowed, not wanted — next to anchor."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.engines.triage import triage

_ROWS = [json.loads(line) for line in
         (Path(__file__).parent / "data" / "everyday_review21.jsonl").read_text(
             encoding="utf-8").splitlines() if line.strip()]

#: Everyday texts the older hoarded-pill patterns still make emergencies (known, not wanted).
KNOWN_EMERGENCY = {"en-11", "en-14", "th-04", "th-11", "ne-07", "my-06", "km-06"}


def _cases(expect: str) -> list:
    return [pytest.param(r["text"], id=r["id"]) for r in _ROWS if expect in r["expect"]]


def test_the_review_data_is_complete() -> None:
    assert len(_ROWS) == 98
    assert {r["id"] for r in _ROWS if "known_emergency" in r["expect"]} == KNOWN_EMERGENCY


@pytest.mark.parametrize("text", _cases("not_emergency"))
def test_an_everyday_text_at_a_height_or_with_pills_is_no_emergency(text: str) -> None:
    assert triage(text).severity != "emergency"


@pytest.mark.parametrize("text", _cases("not_distress"))
def test_an_everyday_text_the_models_left_alone_stays_quiet(text: str) -> None:
    assert not triage(text).distress
