"""Short messages (session 10, tune-firststage): a message of at most ``short_letters`` letters
that a signal calls distress needs only ``short_with_signal`` of the first stage (a few words give
the model little to weigh). Also the stretched-letter cry and close calls of the brief, as
regressions: reading a run of letters as one was cross-validated by batch and not shipped
(close calls 2821 -> 2816 of 3082, the labelled stretches being mostly jokes; README)."""

from __future__ import annotations

import pytest

from bot.engines.triage import match_signals, triage
from tests.helpers import StagesSay, assert_recogniser_setting_rejected, use_content

#: 'help' stretched, 'อยู่' misspelt: 0.14 on the first stage held out (b24-th-25, now trained on).
THAI_CRY = "ช่วยด้วยยย โดนขังอยุ่"


def test_the_thai_stretched_cry_is_raised_with_its_signals() -> None:
    assert {"CALL_FOR_HELP", "CONFINEMENT"} <= set(match_signals(THAI_CRY))
    result = triage(THAI_CRY)
    assert result.distress and result.severity in ("urgent", "emergency")


@pytest.mark.parametrize("text", [
    "ช่วยด้วยยย การบ้านฟิสิกส์ยากมาก ทำข้อ 3 มาสองชั่วโมงแล้ว 555",
    "stuck in traffic for 2 hours helppp lol",
    "tolonggg macet parah udah 3 jam di tol 😩",
])
def test_a_stretched_close_call_stays_quiet(text: str) -> None:
    assert not triage(text).distress


SHORT_CRY = "boss locked me in my room 😭"
PADDED = SHORT_CRY + ", anyway the weather is nice today and we go to the market with friends"


def test_a_short_message_with_a_signal_needs_only_the_short_bar(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Held out, "boss locked me in my room 😭" scored 0.16 against 0.22: a few words give the
    model little to weigh, the signal is most of what is said."""
    from dataclasses import replace

    from bot.engines import distress_content

    data = distress_content.content()
    assert 0 < data.short_with_signal < data.with_signal and data.short_letters >= 20
    assert match_signals(SHORT_CRY) == match_signals(PADDED) == ["CONFINEMENT"]
    between = replace(data, recogniser=StagesSay((data.short_with_signal + data.with_signal) / 2,
                                                 0.9))
    use_content(monkeypatch, between)
    assert triage(SHORT_CRY).distress
    assert not triage(PADDED).distress  # a longer message: the model had words to weigh
    assert not triage("hello my friend").distress  # no signal: the first stage's own bar
    off = replace(between, short_letters=0)
    use_content(monkeypatch, off)
    assert not triage(SHORT_CRY).distress


@pytest.mark.parametrize(("line", "field"), [
    ("  short_letters: -1\n", "short_letters"), ("  short_letters: 2.5\n", "short_letters"),
    ("  short_with_signal: 0.3\n", "short_with_signal"),  # above with_signal
    ("  short_with_signal: true\n", "short_with_signal"),
])
def test_short_bar_settings_are_checked(tmp_path, line: str, field: str) -> None:  # noqa: ANN001
    assert_recogniser_setting_rejected(tmp_path, line, field)
