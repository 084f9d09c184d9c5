"""Stretched letters (session 10, tune-firststage): every recogniser stage reads a run of three or
more of one character as one ("helppp", "ช่วยด้วยยย", "!!!"), in training and in scoring, so a
frightened person's stretched cry reads like the plain one. The labelled stretches were mostly
jokes, so without this the model had learned "ยยย" as a close-call cue."""

from __future__ import annotations

import pytest

from bot.engines import recogniser
from bot.engines.distress_training import model_text, training_text
from bot.engines.recogniser import Recogniser, fingerprint, fit, fit_second, reads
from bot.engines.triage import match_signals, triage

#: The cry of the brief: 'help' stretched, 'อยู่' misspelt; it scored 0.16 held out (bar 0.22).
THAI_CRY = "ช่วยด้วยยย โดนขังอยุ่"


@pytest.mark.parametrize(("text", "expected"), [
    ("helppp", "help"),
    ("pleaseee help meee", "please help me"),
    ("ช่วยด้วยยย", "ช่วยด้วย"),
    ("cuuuu toi voi", "cu toi voi"),
    ("tolongggg!!!", "tolong!"),
    ("😭😭😭 help", "😭 help"),
    ("ค่ะะะ", "ค่ะ"),
    # digits are amounts and the Thai laughter "555": kept
    ("555555 owe 10000 baht", "555555 owe 10000 baht"),
    # doubles are spelling ("good", "need"), left as they are
    ("good need help", "good need help"),
    ("", ""),
])
def test_a_run_of_three_or_more_reads_as_one(text: str, expected: str) -> None:
    assert reads(text) == expected
    assert reads(expected) == expected  # idempotent: scoring may see a text twice


def test_reads_is_linear_on_a_long_run() -> None:
    assert reads("a" * 5000 + "b" * 5000) == "ab"


def test_training_rows_and_scoring_read_the_same() -> None:
    assert training_text("HELPPP ME") == "help me" == reads(model_text("HELPPP ME"))
    rows = [(training_text(t), label) for t, label in [
        ("help me they locked us in", True), ("help me please", True),
        ("helppp my homework lol", False), ("thanks for the help", False)] * 3]
    model = Recogniser(fit(rows), "test", fit_second(rows))
    assert model.probability("helppppp me") == model.probability("help me")
    assert model.cry_probability("helppppp me") == model.cry_probability("help me")


def test_the_cache_key_follows_what_the_model_reads(monkeypatch: pytest.MonkeyPatch) -> None:
    """A model fitted on other reading must never be loaded: the key changes with ``reads``."""
    rows = [("help me", True), ("hi there", False)]
    key = fingerprint(rows, 8.0)
    monkeypatch.setattr(recogniser, "reads", lambda text: text)
    assert fingerprint(rows, 8.0) != key


def test_a_stretched_cry_learned_beside_stretched_jokes_reads_as_the_plain_cry() -> None:
    """As in the labelled data: "ช่วยด้วยยย" only in jokes (homework, traffic), the plain word in
    cries. Read as one letter, the stretched cry is the cry; read as typed, it was the joke."""
    labelled = [("ช่วยด้วย โดนขังอยู่ ออกไปไม่ได้", True), ("ช่วยด้วย เขายึดพาสปอร์ต", True),
                ("ช่วยด้วยยย การบ้านยากมาก 555", False), ("ช่วยด้วยยย รถติดมาก 555", False),
                ("ขอบคุณค่ะ", False), ("สวัสดีครับ", False)] * 3
    read = Recogniser(fit([(training_text(t), y) for t, y in labelled]), "read")
    typed = Recogniser(fit([(model_text(t), y) for t, y in labelled]), "typed")
    text = model_text(THAI_CRY)
    assert read.probability(text) > 0.5
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(recogniser, "reads", lambda t: t)
        assert typed.probability(text) < read.probability(text)


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
