"""The learned half of the job-offer check: how much an ad reads like the risky ads we know.

The indicator patterns find the phrasings someone thought of; on ads written blind they found
92-93 of 100 risky ads at best, and each round of patterns gained most on the families it was
shown. A model that learns from the labelled ads (``content/offer_examples.jsonl``) generalised
better: in cross-validation by batch it found risky ads the patterns missed and knew ordinary
ads the patterns flagged (README "Offers: the learned second opinion"). It is the same kind of
model as the distress recogniser (:mod:`bot.engines.recogniser`: character n-grams within words
and word 1-2 grams, tf-idf, logistic regression), fitted on the folded text the patterns read.

Decisions and risks:

* The model never decides alone. :func:`bot.engines.redflags.check_offer` asks it only when the
  patterns found no high risk: it raises a low-risk ad to "some warning signs" when it is
  confident (``learned.raise_above``), with its own flag quoting the words that weighed most,
  and lowers a medium-risk ad to low when it is confident the ad is ordinary
  (``learned.clear_below``); the flags found stay listed either way. High risk (a passport kept,
  a crossing, several signs) is never lowered.
* A model learns its labellers' blind spots too; the thresholds are content, chosen by
  cross-validation by batch on batches the patterns had not been tuned on.
* Fitting takes a few seconds; the fitted model is cached under ``models/`` keyed by a hash of
  its inputs and memoised in process. Without the model (no scikit-learn, a broken examples
  file) the patterns decide alone, as before, and the error is logged.

No Rasa, HTTP or Redis import here; the examples come from the content directory.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
from pathlib import Path
from typing import Any

from bot.content import load_labelled_jsonl
from bot.engines.model_cache import load_or_build
from bot.engines.patterns import MAX_INPUT_CHARS, fold
from bot.engines.recogniser import AveragedScorer, fit
from bot.engines.segment import segment
from bot.engines.text import normalize, to_simplified

log = logging.getLogger(__name__)

#: Bumped when the features, the estimator or the text it reads change (stale caches).
MODEL_VERSION = 1
C = 8.0
CHAR_RANGES = ((1, 4),)
#: Words quoted as the evidence of the learned flag, at most.
EVIDENCE_WORDS = 5
_ROOT = Path(__file__).resolve().parents[2]
#: The labelled ads the model learns from (shipped with the content).
EXAMPLES_FILE = _ROOT / "content" / "offer_examples.jsonl"
#: Where fitted models are cached (beside the Rasa model; git-ignored).
MODEL_CACHE_DIR = _ROOT / "models"


def read_examples(path: Path = EXAMPLES_FILE) -> list[tuple[str, bool]]:
    """``(text, is risky)`` of the labelled ads; errors name the file, line and field."""
    rows = load_labelled_jsonl(path, ("risky", "ordinary"))
    return [(row["text"], row["label"] == "risky") for row in rows]


class OfferModel:
    """A fitted model; thread-safe (read-only after fitting)."""

    def __init__(self, fitted: Any) -> None:
        self._scorer = AveragedScorer(fitted)

    def probability(self, prepared: str) -> float:
        """Probability that an ad (the folded text the patterns read) is risky."""
        return self._scorer.probability(prepared)

    def evidence(self, prepared: str) -> tuple[int, int] | None:
        """The span of ``prepared`` whose words weighed most towards "risky" (a few words)."""
        words = segment(prepared)
        scores = [self._scorer.piece_score(word) for word, _start, _end in words]
        best, best_at = 0.0, None
        for i in range(len(words)):
            total = 0.0
            for j in range(i, min(len(words), i + EVIDENCE_WORDS)):
                total += max(0.0, scores[j])
                if total > best:
                    best, best_at = total, (i, j)
        if best_at is None:
            return None
        return words[best_at[0]][1], words[best_at[1]][2]


def _fingerprint(rows: list[tuple[str, bool]]) -> str:
    digest = hashlib.sha256(f"offers v{MODEL_VERSION} c={C} {CHAR_RANGES}".encode())
    for text, label in rows:
        digest.update(json.dumps([text, label], ensure_ascii=False).encode())
    return digest.hexdigest()[:20]


def model_text(text: str) -> str:
    """What the model reads: the capped, normalised, folded text the patterns read too."""
    return fold(to_simplified(normalize(text[:MAX_INPUT_CHARS])))


def fitted(examples: Path = EXAMPLES_FILE, cache_dir: Path | None = MODEL_CACHE_DIR) -> OfferModel:
    """The model of ``examples``: loaded from the cache when its inputs are unchanged."""
    return model_of(read_examples(examples), cache_dir)


def model_of(labelled: list[tuple[str, bool]], cache_dir: Path | None = None) -> OfferModel:
    """The model of ``(text, is risky)`` pairs (cross-validation folds pass theirs directly)."""
    rows = [(model_text(text), risky) for text, risky in labelled]
    path = cache_dir / f"offer-model-{_fingerprint(rows)}.pkl" if cache_dir else None
    return OfferModel(load_or_build(path, lambda: fit(rows, C, CHAR_RANGES), "offer model"))


_lock = threading.Lock()
_memo: dict[str, Any] = {}


def offer_model() -> OfferModel | None:
    """The model of the shipped examples, memoised until the file changes; None (logged once
    per change) when it cannot be had: the patterns then decide alone."""
    try:
        stamp = EXAMPLES_FILE.stat().st_mtime
    except OSError:
        stamp = 0.0
    if _memo.get("stamp") == stamp:
        return _memo.get("model")
    with _lock:
        if _memo.get("stamp") != stamp:
            try:
                model: OfferModel | None = fitted()
            except Exception:  # noqa: BLE001 - the patterns still decide; say so loudly
                log.error("offer model unavailable: the patterns decide alone", exc_info=True)
                model = None
            _memo.update(stamp=stamp, model=model)
        return _memo.get("model")
