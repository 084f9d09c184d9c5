"""The learned distress recogniser: which examples are close calls, and how they weigh."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.content import ContentError
from bot.recogniser import fingerprint, fit, is_close_call
from bot.triage import example_row, load_distress, read_examples

CONTENT = Path(__file__).resolve().parent.parent / "bot" / "content"


@pytest.mark.parametrize(
    ("example", "expected"),
    [
        ({"label": False, "family": "close_game"}, True),
        ({"label": False, "family": "joke_trapped"}, True),
        ({"label": False, "family": "ordinary_visa"}, False),
        ({"label": False, "family": "thanks"}, False),
        ({"label": False}, False),
        ({"label": True, "family": "real_locked"}, False),
    ],
)
def test_close_calls_are_negatives_of_a_non_ordinary_family(example: dict, expected: bool) -> None:
    assert is_close_call(example) is expected


def test_shipped_close_calls_weigh_the_content_weight() -> None:
    examples = read_examples()
    close = [e for e in examples if is_close_call(e)]
    assert len(close) >= 700  # b3-b5, cc and cc2 (README)
    assert example_row(close[0], 6.0)[2] == 6.0
    real = next(e for e in examples if e["label"])
    assert example_row(real, 6.0)[2] == 1.0


def test_a_weighted_close_call_pulls_its_wording_down() -> None:
    rows = [("help they locked us in", True), ("please help me escape", True),
            ("stuck in traffic help lol", False), ("thanks for the help", False)] * 3
    plain = fit(rows).predict_proba(["stuck help lol"])[0][1]
    weighted = fit([(t, label, 6.0 if t.endswith("lol") else 1.0) for t, label in rows])
    assert weighted.predict_proba(["stuck help lol"])[0][1] < plain
    assert fingerprint(rows, 8.0) != fingerprint([(t, lb, 2.0) for t, lb in rows], 8.0)


@pytest.mark.parametrize("value", ["0.5", "100", "true", "'six'"])
def test_close_call_weight_is_checked(tmp_path: Path, value: str) -> None:
    text = (CONTENT / "distress.yml").read_text(encoding="utf-8")
    assert "  close_call_weight: 6\n" in text
    text = text.replace("  close_call_weight: 6\n", f"  close_call_weight: {value}\n", 1)
    (tmp_path / "distress.yml").write_text(text, encoding="utf-8")
    with pytest.raises(ContentError) as err:
        load_distress(tmp_path)
    assert (err.value.entry, err.value.field) == ("recogniser", "close_call_weight")
