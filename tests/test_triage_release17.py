"""Session 17's release of batches 37-38, probes sp8 and wp2 and the two wish development sets:
what it moved, and the fixes (issue #14)."""

from __future__ import annotations

import pytest

from bot.engines.triage import match_signals, triage


def test_romanised_nepali_the_owner_keeps_my_passport_is_documents_taken() -> None:
    # Review 15's c-ne7 fell from the first stage's 0.40 to 0.36 with the release; it had no signal.
    text = "malik le mero passport diyena, firta dina manena"
    assert "DOCUMENTS_TAKEN" in match_signals(text)
    assert triage(text).distress


@pytest.mark.parametrize("text", [
    "company le phone firta gardaina",
    "malik le mero passport firta diyena",
])
def test_a_passport_or_phone_not_given_back_is_documents_taken(text: str) -> None:
    assert "DOCUMENTS_TAKEN" in match_signals(text)


@pytest.mark.parametrize("text", [
    "malik le phone firta gardiyo, dhanyabad",  # gave it back, thanks
    "company le mobile diyena, afnai kinnu paryo",  # gave no phone, I bought my own
    "visa office le passport firta diyena",
    "mero phone firta garena sathi le",  # a friend kept it
])
def test_a_phone_returned_or_never_provided_is_no_documents_taken(text: str) -> None:
    assert "DOCUMENTS_TAKEN" not in match_signals(text)
