"""What the distress recogniser learns from: the labelled messages, the NLU examples, and the
fitted model of the shipped content.

Split out of :mod:`bot.engines.triage`, which decides; this module only reads the training data
(``content/distress_examples.jsonl``, ``nlu/*.yml``) and fits or loads the recogniser
(:mod:`bot.engines.recogniser`), memoised in process and cached on disk under ``models/``.
Decisions: NLU examples of every intent but ``distress`` are ordinary traffic; job ads of a block
marked ``metadata: {distress: ad_stage}`` train the ad stage only; labelled close calls weigh
``close_call_weight``; the ordinary stage (session 13) learns cries against close calls and
ordinary traffic. No Rasa, HTTP or Redis import.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from bot.content import load_labelled_jsonl
from bot.engines.patterns import MAX_INPUT_CHARS
from bot.engines.recogniser import (
    C,
    Recogniser,
    Row,
    fingerprint,
    is_close_call,
    load_or_fit,
)

log = logging.getLogger(__name__)

MAX_CHARS = MAX_INPUT_CHARS
#: Training weight in the ordinary stage of a negative that is not a close call (the labelled
#: ordinary families, negatives without a family, the NLU's other intents; session 13).
ORDINARY_STAGE_WEIGHT = 1.0
DISTRESS_INTENT = "distress"
#: The NLU intent of a pasted job ad: the ad stage's negatives.
JOB_AD_INTENT = "job_offer"
#: How :func:`nlu_examples` reports the job ads of a block marked ``metadata: {distress:
#: ad_stage}``: they train the ad stage only, not the first stage (README "Measurements").
AD_STAGE_ONLY = "job_offer/ad_stage"
_ROOT = Path(__file__).resolve().parents[2]
#: The labelled messages the recogniser learns from (shipped with the content).
EXAMPLES_FILE = _ROOT / "content" / "distress_examples.jsonl"
NLU_DIR = _ROOT / "nlu"
#: Where fitted recognisers are cached (beside the Rasa model; git-ignored).
MODEL_CACHE_DIR = _ROOT / "models"


def training_rows(
    examples: Path = EXAMPLES_FILE, nlu: Path = NLU_DIR, close_call_weight: float = 1.0
) -> list[Row]:
    """``(model text, is distress, weight)``: the labelled messages, then the NLU examples.

    NLU examples of the ``distress`` intent count as distress and those of every other intent
    as ordinary traffic (questions, thanks, small talk, job ads); without ``nlu/`` (an installed
    package) the labelled messages alone are used. Labelled close calls weigh
    ``close_call_weight``, everything else 1. Ads marked for the ad stage only are left out.
    """
    rows: list[Row] = [example_row(e, close_call_weight) for e in read_examples(examples)]
    for intent, text in nlu_examples(nlu):
        if intent != AD_STAGE_ONLY:
            rows.append((model_text(text), intent == DISTRESS_INTENT, 1.0))
    return rows


def second_stage_rows(
    examples: Path = EXAMPLES_FILE, nlu: Path = NLU_DIR, ads: bool = False
) -> list[Row]:
    """``(model text, is a cry)``: labelled and NLU cries for help against labelled close calls
    (and, with ``ads``, against the NLU job ads too: the ad stage's rows)."""
    rows: list[Row] = [(model_text(e["text"]), bool(e["label"])) for e in read_examples(examples)
                       if e["label"] or is_close_call(e)]
    wanted = (DISTRESS_INTENT, JOB_AD_INTENT, AD_STAGE_ONLY) if ads else (DISTRESS_INTENT,)
    return rows + [(model_text(text), intent == DISTRESS_INTENT)
                   for intent, text in nlu_examples(nlu) if intent in wanted]


def ordinary_stage_rows(examples: Path = EXAMPLES_FILE, nlu: Path = NLU_DIR) -> list[Row]:
    """``(model text, is a cry, weight)``: the ordinary stage's rows, cries for help against
    close calls and every other negative (ordinary families, the NLU's other intents but the
    ads marked for the ad stage), weighted :data:`.recogniser.ORDINARY_STAGE_WEIGHT`."""
    nlu_rows = [{"label": intent == DISTRESS_INTENT, "text": text, "family": "ordinary"}
                for intent, text in nlu_examples(nlu) if intent != AD_STAGE_ONLY]
    rows = [(model_text(e["text"]), bool(e["label"]), stage_weight(e, ORDINARY_STAGE_WEIGHT))
            for e in read_examples(examples) + nlu_rows]
    return [row for row in rows if row[2]]


def stage_weight(example: dict[str, Any], ordinary: float = 0.0) -> float:
    """A labelled message's weight in the second or ordinary stage: 1 for a cry or a close
    call, ``ordinary`` for any other negative (0: left out, as in the second stage)."""
    return 1.0 if example["label"] or is_close_call(example) else ordinary


def example_row(example: dict[str, Any], close_call_weight: float) -> Row:
    """The training row of one labelled message (close calls weighted)."""
    weight = close_call_weight if is_close_call(example) else 1.0
    return (model_text(example["text"]), bool(example["label"]), weight)


def model_text(text: str) -> str:
    """What the recogniser reads: the capped, normalised message (accents kept)."""
    return _normalize(text[:MAX_CHARS])


def _normalize(text: str) -> str:
    from bot.engines.text import normalize  # lazy: keeps import time small

    return normalize(text)


def read_examples(path: Path = EXAMPLES_FILE) -> list[dict[str, Any]]:
    """The labelled messages (id, lang, label true/false, text, ...); errors name the row."""
    return load_labelled_jsonl(path, (True, False))


def nlu_examples(nlu: Path = NLU_DIR) -> list[tuple[str, str]]:
    """``(intent, text)`` of every example in Rasa's NLU files under ``nlu`` (job ads of a block
    marked ``distress: ad_stage`` are reported as :data:`AD_STAGE_ONLY`)."""
    import yaml

    found: list[tuple[str, str]] = []
    for path in sorted(nlu.glob("*.yml")) if nlu.is_dir() else []:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for block in data.get("nlu") or []:
            if "intent" in block:
                intent = block["intent"]
                if intent == JOB_AD_INTENT and (block.get("metadata") or {}).get(
                        "distress") == "ad_stage":
                    intent = AD_STAGE_ONLY
                found += [(intent, line.strip()[2:].strip())
                          for line in str(block.get("examples", "")).splitlines()
                          if line.strip().startswith("- ")]
    return found


_models: dict[str, Recogniser] = {}


def fitted_recogniser(
    close_call_weight: float, ad_stage: bool = False, ordinary_stage: bool = False
) -> Recogniser | None:
    """The fitted recogniser of the shipped examples (memoised; cached on disk across runs)."""
    try:
        rows = training_rows(close_call_weight=close_call_weight)
        second = second_stage_rows()
        ads = second_stage_rows(ads=True) if ad_stage else []
        ordinary = ordinary_stage_rows() if ordinary_stage else []
        key = fingerprint(rows, C, second, ads, ordinary)
        if key not in _models:
            _models.clear()
            _models[key] = load_or_fit(rows, MODEL_CACHE_DIR, second_rows=second, ad_rows=ads,
                                       ordinary_rows=ordinary)
        return _models[key]
    except Exception:  # noqa: BLE001 - patterns still work without the model; say so loudly
        log.error("distress recogniser unavailable: falling back to the patterns alone",
                  exc_info=True)
        return None
