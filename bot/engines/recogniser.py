"""The learned half of distress triage: how likely a message is a cry for help.

Pattern lists only recognise the phrasings someone thought of; on batches written blind they
found 70-75 % of cries for help. This model learns from the labelled messages instead:
character n-grams (2-5, within words) carry romanised text, misspellings and scripts without
spaces; word unigrams and bigrams carry short phrases. A logistic regression turns them into a
probability; the decision threshold is content (``recogniser.threshold`` in ``distress.yml``),
chosen by cross-validation by batch (``python -m bot triage-eval``).

Decisions and risks:

* Training is deterministic (lbfgs from zeros on a fixed order, one BLAS thread: more
  threads shift probabilities by ~2e-4) and takes ~40 s, its pipelines side by side in
  processes (:mod:`bot.engines.distress_training`). A fitted model is cached on disk under
  ``models/`` keyed by a hash of its inputs, so later processes load it in a few seconds.
* The pattern signals are NOT features: the patterns were tuned on most of the labelled
  messages, so a model fed them learns to trust them, and on batches written blind it fell back
  to the patterns' 70 % recall (measured). Signals still give severity and the emergency
  override in :mod:`bot.engines.triage`.
* Close calls ("stuck in traffic, help lol", survivors who are safe now, news talk) are learned
  from labelled negatives, not listed; the guards of ``distress.yml`` still blank their spans
  before the pattern signals are matched. Each labelled close call weighs
  ``recogniser.close_call_weight`` ordinary messages in training: there are few of them against
  thousands of NLU examples, so unweighted the model learned "trapped/help/hostage" and not the
  joke, the "safe now" or the news question around it (cross-validation by batch, with the
  threshold lowered to 0.4 to keep every emergency: close-call specificity 0.61 -> 0.79, recall
  0.982 -> 0.971, with 500 more labelled messages; README).
* A second stage (``second``) is trained on cries for help against labelled close calls only,
  so it learns what tells them apart (time, safety, who is speaking, a laughter marker) rather
  than "trapped/help". :mod:`bot.triage` lets it veto a first-stage distress only when it is
  confident (``recogniser.veto_below``) and no emergency signal fired. Cross-validation by batch:
  at 0.33 close calls 0.790 -> 0.805 with no cry for help lost; at 0.5 0.851, but 15 cries lost,
  plain ones among them ("help i'm being held against my will"), so 0.33 (README).
  Session 11 (tune-close14), CV by batch at close calls 3137 of 3422: a higher veto_below
  costs a cry per two close calls (0.45: 11 cries for 21; 0.5: 22 for 33), so it stays; a
  veto of any emergency signal with both stages below 0.1 would clear 22 close calls, but a
  plain cry with VIOLENCE ("老板把我关小黑屋了 😭") scored 0.04 held out, so no.
  With batch 9 trained on, the first stage became two models averaged (:class:`Averaged`), the
  second stage C 16 and the veto 0.35 (README "Batch 9 released"). Since session 7 it may also
  outvote an emergency signal, only in a message about a film, a series or the news and far
  below a lower bar (``recogniser.emergency_veto_below``; README "Session 7").
* An ad stage (``ads``), built like the second stage, is trained on cries for help against close
  calls and the NLU's pasted job ads: a pasted ad tells of abroad, a boss, a passport and a debt
  like a cry does, and about 10 % of the labelled offers were flagged. :mod:`bot.triage` lets it
  veto only a message that reads like a pasted ad, carries no signal an ad would not carry, and
  has no emergency signal (``recogniser.ad_veto_below``; cross-validated by batch, README).
* An ordinary stage (``ordinary``, session 13) learns cries against close calls and ordinary
  traffic; :mod:`bot.triage` lets it veto a distress no signal called (README, distress.yml).
* A severity stage (``severity``, session 19) learns the labelled emergencies against other cries
  and close calls: the emergency signals named only about half of them. It never decides
  distress; :mod:`bot.triage` lets it raise a distress to ``emergency`` (distress.yml).
* The model reads the normalised text (capped like every engine's input); Latin accents are
  kept, as Vietnamese tones carry meaning (folding them cost a point of recall). Reading a run
  of 3+ of one letter as one ("helppp", "ช่วยด้วยยย") was tried in session 10 and not kept
  (cross-validation by batch: in every stage, cries 4460 -> 4460, close calls 2821 -> 2816 of
  3082; in the first stage only, cries 4459): the labelled stretches are mostly jokes.

No Rasa, HTTP or Redis import here; the examples and settings come in as arguments.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import numpy

from bot.engines.concepts import ConceptLexicon

log = logging.getLogger(__name__)

#: Bumped when the features or the estimator change, so stale caches are not loaded.
MODEL_VERSION = 6  # 6: one BLAS thread per fit (session 22)
#: Inverse regularisation strength of the logistic regression (chosen by cross-validation).
C = 8.0
#: The same for the second stage (cries for help against close calls; cross-validation by batch).
C_SECOND = 16.0
#: The same for the concept stage (session 25): few features, shared by every language.
C_CONCEPTS = 3.0
#: Character n-gram ranges of the first stage: one model each, their probabilities averaged.
FIRST_CHAR_RANGES = ((1, 4), (1, 5))
SECOND_CHAR_RANGES = ((1, 4),)
#: Families of labelled negatives that are ordinary traffic (questions, thanks), not close calls.
ORDINARY_FAMILIES = re.compile(
    r"^(ordinary|visa|fee|recruitment_fee|remittance|greeting|thanks|smalltalk|bot|contract|"
    r"departure|question)", re.IGNORECASE
)

#: A training row: (normalised text, is distress) or (normalised text, is distress, weight).
Row = tuple[str, bool] | tuple[str, bool, float]


#: Words whose n-gram columns a block remembers (at most a few MB); forgotten at once when full.
WORD_CACHE_SIZE = 20_000


@dataclass(frozen=True)
class _Block:
    """One tf-idf vectorizer of the union, flattened: its n-grams' idf and coefficient."""

    analyze: Callable[[str], list[str]]
    vocabulary: dict[str, int]  # the vectorizer's own: n-gram -> column
    idf: Any  # numpy arrays by column
    coef: Any
    sublinear: bool
    #: Character n-grams within words: a text's n-grams are its words' n-grams, so each word's
    #: known columns are computed once and remembered (word -> columns).
    per_word: bool
    words: dict[str, Any] = field(default_factory=dict)

    def _known(self, text: str) -> Any:
        found = [c for c in map(self.vocabulary.get, self.analyze(text)) if c is not None]
        return numpy.array(found, dtype=numpy.intp)

    def columns(self, prepared: str) -> Any:
        """The known columns of the text's n-grams, one per occurrence (a numpy array)."""
        if not self.per_word:
            return self._known(prepared)
        words = self.words
        parts = []
        for word in prepared.split():
            known = words.get(word)
            if known is None:
                known = self._known(word)
                if len(words) >= WORD_CACHE_SIZE:
                    words.clear()
                words[word] = known
            parts.append(known)
        return numpy.concatenate(parts) if parts else numpy.empty(0, dtype=numpy.intp)


class Averaged:
    """Fitted pipelines whose probabilities are averaged (views of one text, one label).

    Decision: the first stage is two models that differ only in their character n-grams (1-4 and
    1-5); averaged, they generalised better than either alone (cross-validation by batch, batch 9
    added, thresholds as before: close calls 963 -> 972 of 1182, recall 2203 -> 2205 of 2285,
    ordinary 6655 -> 6659 of 6739, no language lower; README). 1-5 alone traded ordinary
    messages for close calls. Costs a second dictionary walk per message (~0.1 ms).
    """

    def __init__(self, members: Sequence[Any]) -> None:
        self.members = list(members)

    def predict_proba(self, texts: Sequence[str]) -> Any:
        return sum(m.predict_proba(texts) for m in self.members) / len(self.members)


class AveragedScorer:
    """:class:`LinearScorer` of each member of an :class:`Averaged`, averaged the same way."""

    def __init__(self, model: Averaged) -> None:
        self._scorers = [LinearScorer(m) for m in model.members]

    def probability(self, prepared: str) -> float:
        return sum(s.probability(prepared) for s in self._scorers) / len(self._scorers)

    def piece_score(self, piece: str) -> float:
        return sum(s.piece_score(piece) for s in self._scorers) / len(self._scorers)


class LinearScorer:
    """The fitted pipeline's probability for one text, without scikit-learn's per-call overhead.

    Decision: scoring one message through ``Pipeline.predict_proba`` spent about 60 % of triage
    in scikit-learn's bookkeeping (parallel dispatch of the union, fitted checks, a sparse idf
    matrix rebuilt on every call). The fitted model is a sum over the message's n-grams, so it is
    flattened once into a dict per vectorizer and computed directly: the same tf-idf (sublinear
    tf, l2 norm per vectorizer, as the union concatenates them) and the same logistic function.
    ``tests/test_recogniser.py`` checks it against ``predict_proba`` on the labelled messages.
    """

    def __init__(self, pipeline: Any) -> None:
        union, model = pipeline[0], pipeline[-1]
        coef = model.coef_[0]
        self._intercept = float(model.intercept_[0])
        self._blocks: list[_Block] = []
        offset = 0
        for _name, vectorizer in union.transformer_list:
            if vectorizer.norm != "l2" or not vectorizer.use_idf:
                raise ValueError("LinearScorer expects l2-normalised tf-idf vectorizers")
            size = len(vectorizer.vocabulary_)
            per_word = vectorizer.analyzer == "char_wb" and vectorizer.preprocessor is None
            block = _Block(vectorizer.build_analyzer(), vectorizer.vocabulary_,
                           numpy.asarray(vectorizer.idf_, dtype=float),
                           numpy.asarray(coef[offset:offset + size], dtype=float),
                           vectorizer.sublinear_tf, per_word)  # fmt: skip
            self._blocks.append(block)
            offset += size
        if offset != len(coef):
            raise ValueError("the union's features do not match the model's coefficients")

    def probability(self, prepared: str) -> float:
        score = self._intercept
        for block in self._blocks:
            found = block.columns(prepared)
            if not found.size:
                continue
            columns, counts = numpy.unique(found, return_counts=True)
            tf = 1.0 + numpy.log(counts) if block.sublinear else counts
            values = tf * block.idf[columns]
            norm = float(values @ values)
            if norm:
                score += float(values @ block.coef[columns]) / math.sqrt(norm)
        if score >= 0:
            return 1.0 / (1.0 + math.exp(-score))
        exp = math.exp(score)
        return exp / (1.0 + exp)

    def piece_score(self, piece: str) -> float:
        """How much a piece of a text (a word) pushes the score up, before normalisation: the
        sum of its n-grams' idf x coefficient. Ranks the words of a text as evidence."""
        total = 0.0
        for block in self._blocks:
            columns = block.columns(piece)
            total += float(block.idf[columns] @ block.coef[columns])
        return total


@dataclass
class Recogniser:
    """A fitted model; :meth:`probability` is thread-safe (read-only after fitting)."""

    pipeline: Any
    fingerprint: str
    #: Second stage: cries for help (1) against close calls (0); None when not trained.
    second: Any = None
    #: Ad stage: cries for help (1) against close calls and pasted job ads (0); None when not
    #: trained.
    ads: Any = None
    #: Ordinary stage: cries for help (1) against close calls and ordinary messages (0); None
    #: when not trained.
    ordinary: Any = None
    #: Severity stage: emergencies (1) against other cries and close calls (0); None when not
    #: trained (session 19).
    severity: Any = None
    #: Concept stage: cries for help (1) against every other message (0), on the concepts a
    #: message names (:mod:`bot.engines.concepts`); None when not trained (session 25).
    concepts: Any = None
    _first_scorer: AveragedScorer = field(init=False, repr=False)
    _second_scorer: AveragedScorer | None = field(init=False, repr=False)
    _ad_scorer: AveragedScorer | None = field(init=False, repr=False)
    _ordinary_scorer: AveragedScorer | None = field(init=False, repr=False)
    _severity_scorer: AveragedScorer | None = field(init=False, repr=False)
    _concept_scorer: AveragedScorer | None = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._first_scorer = AveragedScorer(self.pipeline)
        self._second_scorer = None if self.second is None else AveragedScorer(self.second)
        self._ad_scorer = None if self.ads is None else AveragedScorer(self.ads)
        self._ordinary_scorer = None if self.ordinary is None else AveragedScorer(self.ordinary)
        self._severity_scorer = None if self.severity is None else AveragedScorer(self.severity)
        self._concept_scorer = None if self.concepts is None else AveragedScorer(self.concepts)

    def probability(self, prepared: str) -> float:
        """Probability that a normalised message (:func:`.text.normalize`) is distress."""
        return self._first_scorer.probability(prepared)

    def cry_probability(self, prepared: str) -> float:
        """Second stage: probability that a message the first stage flagged is a real cry."""
        return 1.0 if self._second_scorer is None else self._second_scorer.probability(prepared)

    def ad_cry_probability(self, prepared: str) -> float:
        """Ad stage: probability that a message that reads like a pasted job ad is a real cry."""
        return 1.0 if self._ad_scorer is None else self._ad_scorer.probability(prepared)

    def ordinary_cry_probability(self, prepared: str) -> float:
        """Ordinary stage: probability that a message flagged with no signal is a real cry."""
        return 1.0 if self._ordinary_scorer is None else self._ordinary_scorer.probability(prepared)

    def emergency_probability(self, prepared: str) -> float:
        """Severity stage: probability that a cry for help is an emergency (0 when untrained)."""
        return 0.0 if self._severity_scorer is None else self._severity_scorer.probability(prepared)

    def concept_probability(self, prepared: str) -> float:
        """Concept stage: probability of a cry from the concepts a message names (0 untrained)."""
        return 0.0 if self._concept_scorer is None else self._concept_scorer.probability(prepared)

    def probabilities(self, prepared: Sequence[str]) -> list[float]:
        if not prepared:
            return []
        return [float(p) for p in self.pipeline.predict_proba(list(prepared))[:, 1]]


def build_pipeline(c: float = C, char_range: tuple[int, int] = (1, 4)) -> Any:
    """Unfitted estimator: char n-grams in words + word 1-2 grams, tf-idf, logistic regression.

    Single characters count: a Chinese character is often a whole word. Hashing the features
    instead of keeping a vocabulary was tried and lost 13 points of recall on held-out batches
    (Chinese fell to 4 of 28), so the vocabulary is kept, capped at 300,000 n-grams seen twice.
    """
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline, make_union

    union = make_union(
        TfidfVectorizer(analyzer="char_wb", ngram_range=char_range, min_df=2, sublinear_tf=True,
                        max_features=300_000, lowercase=False),
        TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True,
                        token_pattern=r"\S+", lowercase=False),
    )
    model = LogisticRegression(C=c, max_iter=3000, class_weight="balanced")
    return make_pipeline(union, model)


def is_close_call(example: dict[str, Any]) -> bool:
    """A labelled negative written to look like distress (a joke, "safe now", news talk...).

    Negatives carry a ``family``; every family but the ordinary ones (questions, thanks, small
    talk) is a close call. Negatives without a family are not counted as close calls.
    """
    family = str(example.get("family") or "")
    return not example["label"] and bool(family) and not ORDINARY_FAMILIES.match(family)


def weight(row: Row) -> float:
    return float(row[2]) if len(row) > 2 else 1.0  # type: ignore[misc]


def fit(
    rows: Sequence[Row], c: float = C, char_ranges: Sequence[tuple[int, int]] = FIRST_CHAR_RANGES
) -> Averaged:
    """The first stage on ``(prepared text, label[, sample weight])`` rows: a fitted pipeline
    per character n-gram range, averaged."""
    return Averaged([fit_member(*job) for job in member_jobs(rows, c, char_ranges)])


def fit_second(rows: Sequence[Row]) -> Averaged | None:
    """The second stage on ``(prepared text, is a cry)`` rows (cries and close calls only)."""
    return fit(rows, C_SECOND, SECOND_CHAR_RANGES) if both_labels(rows) else None


def both_labels(rows: Sequence[Row]) -> bool:
    """A later stage is fitted only on rows with both labels (else it is None)."""
    return len({bool(row[1]) for row in rows}) > 1


def fit_member(texts: list[str], labels: list[int], weights: list[float], c: float,
               char_range: tuple[int, int]) -> Any:
    """One fitted pipeline (a member of an :class:`Averaged`), with one BLAS thread: more only
    spun (measured), and one thread gives the same numbers in this process and in a worker."""
    from threadpoolctl import threadpool_limits

    pipeline = build_pipeline(c, char_range)
    with threadpool_limits(1):
        pipeline.fit(texts, labels, logisticregression__sample_weight=weights)
    return pipeline


class FitJob(NamedTuple):
    texts: list[str]
    labels: list[int]
    weights: list[float]
    c: float
    char_range: tuple[int, int]


def member_jobs(rows: Sequence[Row], c: float,
                 char_ranges: Sequence[tuple[int, int]]) -> list[FitJob]:
    texts, labels = [row[0] for row in rows], [int(row[1]) for row in rows]
    weights = [weight(r) for r in rows]
    return [FitJob(texts, labels, weights, c, char_range) for char_range in char_ranges]


def _hash_rows(digest: Any, rows: Sequence[Row], weighted: bool) -> None:
    for row in rows:
        fields = [row[0], bool(row[1]), weight(row)] if weighted else [row[0], bool(row[1])]
        digest.update(json.dumps(fields, ensure_ascii=False).encode())


def fingerprint(
    rows: Sequence[Row], c: float, second_rows: Sequence[Row] = (), ad_rows: Sequence[Row] = (),
    ordinary_rows: Sequence[Row] = (), severity_rows: Sequence[Row] = (),
    concept_rows: Sequence[Row] = (), lexicon: ConceptLexicon | None = None,
) -> str:
    digest = hashlib.sha256(f"v{MODEL_VERSION} c={c} c2={C_SECOND} "
                            f"{FIRST_CHAR_RANGES} {SECOND_CHAR_RANGES}".encode())
    _hash_rows(digest, rows, weighted=True)
    digest.update(b"second")
    _hash_rows(digest, second_rows, weighted=False)
    # An optional stage without rows leaves the key as it was before the stage existed, so the
    # caches of a content that does not use it stay valid.
    for tag, stage_rows, weighted in ((b"ads", ad_rows, False), (b"ordinary", ordinary_rows, True),
                                      (b"severity", severity_rows, False)):
        if stage_rows:
            digest.update(tag)
            _hash_rows(digest, stage_rows, weighted)
    if concept_rows and lexicon is not None:
        digest.update(f"concepts c={C_CONCEPTS} {lexicon.fingerprint()}".encode())
        _hash_rows(digest, concept_rows, weighted=True)
    return digest.hexdigest()[:20]
