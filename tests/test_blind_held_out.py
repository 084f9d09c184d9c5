"""Blind batches: their figures as measured when they arrived are floors.

Distress batches 9, 10, 12, 13 and 14 and offers batches 6 and 7 were written by helpers who
never saw the patterns, the data or any earlier batch, and measured held out (README
"Measurements"). All have since been released as training / tuning data (ids ``b9-*``,
``b10-*``, ``b12-*``, ``b13-*`` and ``b14-*`` in the labelled set; tests/test_offers_tuning.py
holds offers batches 6 and 7 to their tuned figures), so their blind-era floors stay here only as
regression guards. The batches are run through the command-line interface, the same decision the
bot makes, so that this test does not depend on where the engines live. A floor below a target
is the honest figure, not the target.

Distress batches 11, 15 and 16 and offers batches 8, 12 and 13 are HELD OUT: never training or
tuning data (offers batches 9, 10 and 11 are tuning data since sessions 6 and 7). Batches 11 and
8 were measured before and after two sessions' rounds (the families they were missed on were told to
session 6's tuners, their text never shown; three of batch 8's ads are verbatim in a tuner's own
sentences). Batches 15 and 12 were written in session 7 by helpers who never saw the patterns, the
data or another batch, and measured once on session 7's final code: the clean figures (16 and 13
were written after the code was final, then measured once).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.quality

ROOT = Path(__file__).resolve().parent.parent
BLIND = ROOT / "tests" / "data" / "blind"


def _rows(name: str) -> list[dict]:
    text = (BLIND / name).read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def _decide(command: str, rows: list[dict]) -> dict[str, dict]:
    lines = "".join(json.dumps({"id": r["id"], "text": r["text"]}) + "\n" for r in rows)
    env = {**os.environ, "RASA_TELEMETRY_ENABLED": "false"}
    out = subprocess.run([sys.executable, "-m", "bot", command, "--jsonl"], input=lines,
                         capture_output=True, text=True, cwd=ROOT, env=env, check=True,
                         timeout=600).stdout  # fmt: skip
    return {d["id"]: d for d in map(json.loads, out.splitlines())}


def _trained_ids() -> set[str]:
    training = ROOT / "content" / "distress_examples.jsonl"
    lines = training.read_text(encoding="utf-8").splitlines()
    return {json.loads(line)["id"] for line in lines if line.strip()}


def _distress_counts(rows: list[dict]) -> tuple[int, int, int, int]:
    """Cries found, emergencies found, close calls kept, ordinary messages kept (``kind`` rows)."""
    found = {i: bool(d["distress"]) for i, d in _decide("triage", rows).items()}
    cries = sum(found[r["id"]] for r in rows if r["kind"] == "cry")
    emergencies = sum(found[r["id"]] for r in rows if r["kind"] == "cry" and r["emergency"])
    close = sum(not found[r["id"]] for r in rows if r["kind"] == "close")
    ordinary = sum(not found[r["id"]] for r in rows if r["kind"] == "ordinary")
    return cries, emergencies, close, ordinary


def _offer_counts(rows: list[dict]) -> tuple[int, int]:
    """Risky ads flagged (medium or high) and ordinary ads left alone."""
    risk = {i: d["risk"] in ("medium", "high") for i, d in _decide("check", rows).items()}
    caught = sum(risk[r["id"]] for r in rows if r["label"] == "risky")
    left_alone = sum(not risk[r["id"]] for r in rows if r["label"] == "ordinary")
    return caught, left_alone


def test_distress_batch_9_is_training_data_and_keeps_its_figures() -> None:
    rows = _rows("distress_batch9.jsonl")
    assert {r["id"] for r in rows} <= _trained_ids()  # released as training data (batch b9)
    found = {i: bool(d["distress"]) for i, d in _decide("triage", rows).items()}
    cries = sum(found[r["id"]] for r in rows if r["label"])
    emergencies = sum(found[r["id"]] for r in rows if r.get("emergency"))
    close = sum(not found[r["id"]] for r in rows if r["family"].startswith("close"))
    ordinary = sum(not found[r["id"]] for r in rows if r["family"].startswith("ordinary"))
    # As measured blind at 578eecb (README): 71/80, 33/38, 109/120, 39/40; after cc3 (its missed
    # families known, so no longer blind for them): 77/80, 37/38, 109/120, 39/40. Trained on
    # since (b9): these floors only guard against a regression.
    assert cries >= 77 and emergencies >= 37
    assert close >= 109 and ordinary >= 39


def test_offers_batch_6_keeps_at_least_its_blind_figures() -> None:
    """No longer held out (tuning data since the batch-6 round): the blind figures are a floor."""
    rows = _rows("offers_batch6.jsonl")
    caught, left_alone = _offer_counts(rows)
    # As measured blind at 2653a23 (README): recall 74/80, specificity 110/120.
    assert caught >= 74 and left_alone >= 110


def test_offers_batch_7_keeps_at_least_its_blind_figures() -> None:
    """Tuning data since the batch-7 round: its blind figures stay only as a regression floor."""
    rows = _rows("offers_batch7.jsonl")
    caught, left_alone = _offer_counts(rows)
    # As measured blind at 8378f14 (README): recall 90/100, specificity 112/120.
    assert caught >= 90 and left_alone >= 112


def test_distress_batch_10_is_training_data_and_keeps_its_blind_figures() -> None:
    """Batch 10, measured blind at 8378f14 before any tuning on it, then released (ids b10-*)."""
    rows = _rows("distress_batch10.jsonl")
    trained = _trained_ids()
    assert {r["id"] for r in rows} <= trained  # released as training data (batch b10)
    cries, emergencies, close, ordinary = _distress_counts(rows)
    # As measured blind at 8378f14 (COORD, README "batch 10 round"): 135/140, 73/75, 89/120,
    # 79/80. Trained on since (b10): these floors only guard against a regression.
    assert cries >= 135 and emergencies >= 73
    assert close >= 89 and ordinary >= 79


def test_distress_batch_12_is_training_data_and_keeps_its_blind_figures() -> None:
    """Batch 12, written blind in session 6 and measured at af71d9d before any tuning on it, then
    released as training data (ids b12-*, README "Session 6")."""
    rows = _rows("distress_batch12.jsonl")
    trained = _trained_ids()
    assert {r["id"] for r in rows} <= trained  # released as training data (batch b12)
    cries, emergencies, close, ordinary = _distress_counts(rows)
    # As measured blind at af71d9d (COORD.md, 08:44): 138/140, 70/70, 104/120, 80/80. Trained on
    # since (b12): these floors only guard against a regression.
    assert cries >= 138 and emergencies >= 70
    assert close >= 104 and ordinary >= 80


def test_distress_batch_11_is_held_out_and_keeps_its_figures() -> None:
    """Batch 11: written blind in session 5, measured before and after that session's rounds, never
    training data (README "Session 5: two fresh blind batches")."""
    rows = _rows("distress_batch11.jsonl")
    trained = _trained_ids()
    assert not trained & {r["id"] for r in rows}
    cries, emergencies, close, ordinary = _distress_counts(rows)
    # As measured at 525ab88 (README): 136/140, 68/70, 99/120, 79/80; after session 6's round
    # (73f7a9c): 136/140, 68/70, 104/120, 80/80 — still below the targets.
    assert cries >= 136 and emergencies >= 68
    assert close >= 104 and ordinary >= 80


def test_offers_batch_8_is_held_out_and_keeps_its_figures() -> None:
    """Offers batch 8: written blind in session 5, never tuned on (README "Blind batch 8")."""
    rows = _rows("offers_batch8.jsonl")
    caught, left_alone = _offer_counts(rows)
    # As measured at 525ab88 (README): recall 94/100, specificity 116/120; after session 6's
    # offers round (73f7a9c): 99/100, 118/120.
    assert caught >= 99 and left_alone >= 118


def test_offers_batch_9_keeps_at_least_its_blind_figures() -> None:
    """Tuning data since the batch-9 round (tune-offers5): its blind figures are a floor."""
    rows = _rows("offers_batch9.jsonl")
    caught, left_alone = _offer_counts(rows)
    # As measured blind at 0c18f94 (COORD.md, 08:43): recall 92/100, specificity 119/120.
    assert caught >= 92 and left_alone >= 119


def test_distress_batch_13_is_training_data_and_keeps_its_blind_figures() -> None:
    """Batch 13, written blind at the end of session 6 and measured once at 73f7a9c, then released
    as training data in session 7 (ids b13-*, README "Session 7")."""
    rows = _rows("distress_batch13.jsonl")
    assert {r["id"] for r in rows} <= _trained_ids()  # released as training data (batch b13)
    # As measured blind at 73f7a9c (README; 0c18f94, session 6's start: 140/140, 71/71, 100/120,
    # 79/80): 140/140, 71/71, 105/120, 79/80. Trained on since (b13): these floors only guard
    # against a regression.
    counts = _distress_counts(rows)
    assert all(n >= floor for n, floor in zip(counts, (140, 71, 105, 79), strict=True)), counts


def test_distress_batch_14_is_training_data_and_keeps_its_blind_figures() -> None:
    """Batch 14, written blind in session 7 (rich in film and news mentions on both sides),
    measured at d9ad7c1 before any tuning on it, then released as training data (ids b14-*)."""
    rows = _rows("distress_batch14.jsonl")
    assert {r["id"] for r in rows} <= _trained_ids()  # released as training data (batch b14)
    # As measured blind at d9ad7c1 (main c72d031): 138/140, 74/75, 98/120, 79/80. Trained on
    # since (b14): these floors only guard against a regression.
    counts = _distress_counts(rows)
    assert all(n >= floor for n, floor in zip(counts, (138, 74, 98, 79), strict=True)), counts


def test_offers_batch_10_keeps_at_least_its_blind_figures() -> None:
    """Tuning data since the batch-10 round (tune-offers6): its blind figures are a floor."""
    caught, left_alone = _offer_counts(_rows("offers_batch10.jsonl"))
    # As measured blind at 73f7a9c (README; 0c18f94: 91/100, 112/120): 92/100, 114/120. Tuned on
    # since (tune-offers6: 100/100, 120/120): the floor is raised to that, a regression guard only.
    assert caught >= 100 and left_alone >= 120


def test_offers_batch_11_keeps_at_least_its_blind_figures() -> None:
    """Offers batch 11: written blind in session 7, measured before tuning, then tuning data."""
    caught, left_alone = _offer_counts(_rows("offers_batch11.jsonl"))
    # As measured blind at d9ad7c1 (COORD.md, 11:42): 93/100, 113/120; still 93/100, 113/120
    # after tune-offers6's batch-10 round (6fa25da, before batch 11 was read). Tuned on since
    # (tune-offers6: 100/100, 120/120): the floor is raised to that, a regression guard only.
    assert caught >= 100 and left_alone >= 120


def test_distress_batch_15_is_held_out_and_keeps_its_figures() -> None:
    """Held out: written blind in session 7, measured at d9ad7c1 and once on the final code."""
    rows = _rows("distress_batch15.jsonl")
    assert not _trained_ids() & {r["id"] for r in rows}
    # Blind at d9ad7c1: 139/140, 74/74, 96/120, 80/80; on session 7's final code (README):
    counts = _distress_counts(rows)
    assert all(n >= floor for n, floor in zip(counts, (139, 74, 101, 80), strict=True)), counts


def test_offers_batch_12_is_held_out_and_keeps_its_figures() -> None:
    """Held out: written blind in session 7, measured at d9ad7c1 and once on the final code."""
    rows = _rows("offers_batch12.jsonl")
    examples = (ROOT / "content" / "offer_examples.jsonl").read_text(encoding="utf-8")
    assert not any(r["id"] in examples or r["text"] in examples for r in rows)
    caught, left_alone = _offer_counts(rows)
    # Blind at d9ad7c1: 91/100, 114/120; on session 7's final code (README; the patterns alone
    # 91/100, 118/120):
    assert caught >= 99 and left_alone >= 117


def test_distress_batch_16_is_held_out_and_keeps_its_figures() -> None:
    """Held out: written blind after session 7's code was final, measured once (README)."""
    rows = _rows("distress_batch16.jsonl")
    assert not _trained_ids() & {r["id"] for r in rows}
    # d9ad7c1: 137/140, 79/80, 101/120, 80/80; 4d69fcb (session 7's final code):
    counts = _distress_counts(rows)
    assert all(n >= floor for n, floor in zip(counts, (137, 80, 109, 80), strict=True)), counts


def test_offers_batch_13_is_held_out_and_keeps_its_figures() -> None:
    """Held out: written blind after session 7's code was final, measured once (README)."""
    rows = _rows("offers_batch13.jsonl")
    examples = (ROOT / "content" / "offer_examples.jsonl").read_text(encoding="utf-8")
    assert not any(r["id"] in examples or r["text"] in examples for r in rows)
    caught, left_alone = _offer_counts(rows)
    # d9ad7c1: 95/100, 116/120; 4d69fcb (the patterns alone 96/100, 117/120):
    assert caught >= 100 and left_alone >= 118
