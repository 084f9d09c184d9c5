"""Hints of suicide without the word (issue #14, session 21, hint21).

The wish development sets (rd16-rd19, held out) showed hints that raised no signal: how many
pills "is enough", a rope "strong enough for a person", goodbye for good, wanting to vanish,
sleeping and never waking, "tonight it ends", last words to a child. Tuners wrote SUICIDAL patterns
for them in every language against the development look-alikes (rd20: dose questions for a fever,
goodbyes before a move, a rope for camping...) and every labelled close call; a second round on a
fresh development set (rd21) covered what the first still missed (decided + a time, letters
written, arrangements, charcoal, poison, a rope for a weight). The cries and look-alikes of
``tests/data/triage_hints21.json`` are the tuners' own new wording, not the development rows.
A sealed set written before the rounds measured the gain (README "Session 21"). Sessions 22 and
23 (rounds 3 and 4, hint22/hint23) add their tuners' own wording in ``triage_hints23.json``; three
round-3 look-alikes are left out there: jokes an older broad wish item names ("gusto ko na
mamatay sa hiya ... haha"), answered with the check-in, not the card (test_triage_check_in.py).

(The bare-wish rule of the same session: tests/test_triage_check_in.py.)
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.engines.triage import match_signals
from tests.helpers import cases_by_language

#: The tuners' own cries and everyday look-alikes, ten languages: rounds 1-2 (16 + 16 a language)
#: and rounds 3-4 (16 + up to 16).
ROUNDS = [json.loads((Path(__file__).parent / "data" / name).read_text("utf-8"))
          for name in ("triage_hints21.json", "triage_hints23.json")]
CRIES = {lang: [text for cases in ROUNDS for text in cases[lang]["cries"]] for lang in ROUNDS[0]}
EVERYDAY = {lang: [text for cases in ROUNDS for text in cases[lang]["everyday"]]
            for lang in ROUNDS[0]}


def test_every_language_is_tested_both_ways() -> None:
    langs = {"en", "id", "km", "lo", "my", "ne", "th", "tl", "vi", "zh"}
    assert all(set(cases) == langs for cases in ROUNDS)
    assert all(len(CRIES[lang]) == 32 and len(EVERYDAY[lang]) >= 30 for lang in langs)


@pytest.mark.parametrize("text", cases_by_language(CRIES))
def test_a_hint_of_suicide_is_suicidal(text: str) -> None:
    assert "SUICIDAL" in match_signals(text), text


@pytest.mark.parametrize("text", cases_by_language(EVERYDAY))
def test_its_everyday_look_alike_is_not(text: str) -> None:
    assert "SUICIDAL" not in match_signals(text), text
