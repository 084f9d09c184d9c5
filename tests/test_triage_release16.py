"""Session 16: cries of the review sets that the release of batches 35-36 and probes 7 and wp1
moved below their bars, found again by their signals; the same words in everyday texts stay quiet.
"""

from __future__ import annotations

import pytest

from bot.engines.triage import match_signals, triage


@pytest.mark.parametrize(("text", "signal"), [
    ("survivor here? no. still inside. passport with the boss", "DOCUMENTS_TAKEN"),
    ("passport still with the boss, he says pay 3000 first", "DOCUMENTS_TAKEN"),
    ("survivor here? no. still inside. passport with the boss", "FIRST_HAND"),
    ("we are still inside, guards outside the door", "FIRST_HAND"),
    ("i escaped but my friends are still inside the compound", "FIRST_HAND"),
])
def test_the_cry_is_found_by_its_signal(text: str, signal: str) -> None:
    assert signal in match_signals(text)
    assert triage(text).distress


@pytest.mark.parametrize(("text", "signal"), [
    ("my passport is with the company for the work permit renewal", "DOCUMENTS_TAKEN"),
    ("passport is with the embassy for the visa, when can i pick it up?", "DOCUMENTS_TAKEN"),
    ("make sure the kids bring their passports with them", "DOCUMENTS_TAKEN"),
    ("still inside the mall, meet you at the gate", "FIRST_HAND"),
    ("no, still inside the mall", "FIRST_HAND"),
    # the phone taken is a signal of its own; "still in there?" is no first-hand word beside it
    ("still in there? the manager took everyone's phone for the team building game",
     "FIRST_HAND"),
])
def test_the_same_words_in_an_everyday_text_stay_quiet(text: str, signal: str) -> None:
    assert signal not in match_signals(text)
    assert not triage(text).distress


@pytest.mark.parametrize(("text", "danger"), [
    ("ตัดแขนเสื้อให้สั้นลงหน่อย", False),  # shorten the sleeves
    ("កាត់ដៃអាវឲ្យខ្លី", False),
    ("มันขู่ว่าจะตัดนิ้วถ้าหนี", True),  # they threaten to cut a finger off
    ("វាគំរាមកាត់ម្រាមដៃខ្ញុំ", True),
])
def test_cutting_a_sleeve_is_tailoring_not_a_threat(text: str, danger: bool) -> None:
    assert ("IMMEDIATE_DANGER" in match_signals(text)) is danger
