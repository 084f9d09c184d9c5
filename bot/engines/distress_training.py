"""What the distress recogniser learns from: the labelled messages, the NLU examples, and the
fitted model of the shipped content.

Split out of :mod:`bot.engines.triage`, which decides; this module only reads the training data
(``content/distress_examples.jsonl``, ``nlu/*.yml``; the development sets of
``content/distress_severity_examples.jsonl``) and fits or loads the recogniser
(:mod:`bot.engines.recogniser`), memoised in process and cached on disk under ``models/``.
Decisions: NLU examples of every intent but ``distress`` are ordinary traffic; job ads of a block
marked ``metadata: {distress: ad_stage}`` train the ad stage only; labelled close calls weigh
``close_call_weight``; the ordinary stage (session 13) learns cries against close calls and
ordinary traffic; the severity stage (session 19) learns emergencies against other cries and
close calls, and (session 23) the development sets of hints and emergencies, which the first
stage learns too since session 26 (at ``DEVELOPMENT_WEIGHT``); the stages' six
pipelines fit side by side in processes, one process fitting a model at a time (session 22,
:mod:`bot.engines.model_cache`); the concept stage (session 25) reads the concept tables
(``content/concepts/<lang>.yml``, :mod:`bot.engines.concepts`) and learns cries against every
other message, the development sets included, in this process after the others. No Rasa, HTTP
or Redis import.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bot.content import ContentError, load_labelled_jsonl
from bot.engines.concepts import ConceptLexicon
from bot.engines.model_cache import in_processes, load_or_build
from bot.engines.patterns import MAX_INPUT_CHARS
from bot.engines.recogniser import (
    C_CONCEPTS,
    C_SECOND,
    FIRST_CHAR_RANGES,
    SECOND_CHAR_RANGES,
    Averaged,
    C,
    Recogniser,
    Row,
    both_labels,
    fingerprint,
    fit_member,
    is_close_call,
    member_jobs,
    weight,
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
#: The intents of job ads (the ad stage's negatives).
AD_INTENTS = (JOB_AD_INTENT, AD_STAGE_ONLY)
_ROOT = Path(__file__).resolve().parents[2]
#: The labelled messages the recogniser learns from (shipped with the content).
EXAMPLES_FILE = _ROOT / "content" / "distress_examples.jsonl"
NLU_DIR = _ROOT / "nlu"
#: The development sets (session 23; the name is that of its first use): labelled wishes to die,
#: hints of suicide and emergencies (all their cries emergencies) with their everyday look-alikes.
#: The severity stage learned them alone at first (in the first stages the sets of sessions 20-22
#: cost known cries); the concept stage since session 25; the first stage since session 26, at
#: :data:`DEVELOPMENT_WEIGHT` (README "Session 26"). Not the second stage (cries against close
#: calls: it learned their jokes as close calls and vetoed a known cry), the ordinary stage (CV by
#: batch: 35 ordinary messages raised) nor the ad stage.
SEVERITY_EXAMPLES_FILE = _ROOT / "content" / "distress_severity_examples.jsonl"
#: The weight of a development set's message in the first stage beside a labelled one's (session
#: 26), in the regression's loss only (the vocabulary, idf and class balance count every row). At
#: 1 (with the second stage learning them too) known compound cries were lost and everyday texts
#: with pills or by a river raised; at 0.1 the first stage found nearly as many fresh hints (whd7
#: 213 against 215 of 240) and kept them (README "Session 26").
DEVELOPMENT_WEIGHT = 0.1
#: The concept tables, one file a language (``<lang>.yml``: concept name -> words; session 25).
CONCEPTS_DIR = _ROOT / "content" / "concepts"
#: A concept name: capitals and underscores.
_CONCEPT_NAME = re.compile(r"[A-Z][A-Z_]{1,39}")
#: A concept word is a short literal (a word or a few), not a sentence.
MAX_FORM_CHARS = 40
#: Training weight in the concept stage of a labelled close call (other messages weigh 1).
CONCEPT_CLOSE_CALL_WEIGHT = 3.0
#: Where fitted recognisers are cached (beside the Rasa model; git-ignored).
MODEL_CACHE_DIR = _ROOT / "models"


def messages(examples: Path = EXAMPLES_FILE, nlu: Path = NLU_DIR) -> list[tuple[dict, str]]:
    """Every message the stages learn from, once, with its model text: the labelled messages,
    then the NLU examples as messages (``label`` for the ``distress`` intent, family
    ``ordinary`` otherwise, and their ``intent``). Without ``nlu/`` (an installed package) the
    labelled messages alone."""
    found = read_examples(examples) + [
        {"label": intent == DISTRESS_INTENT, "text": text, "intent": intent,
         "family": "" if intent == DISTRESS_INTENT else "ordinary"}
        for intent, text in nlu_examples(nlu)]
    return [(e, model_text(e["text"])) for e in found]


def first_rows(prepared: Sequence[tuple[dict, str]], close_call_weight: float) -> list[Row]:
    """``(model text, is distress, weight)`` of the first stage: every message but the ads
    marked for the ad stage; labelled close calls weigh ``close_call_weight``, the rest 1."""
    return [(text, bool(e["label"]), close_call_weight if is_close_call(e) else 1.0)
            for e, text in prepared if e.get("intent") != AD_STAGE_ONLY]


def second_rows(prepared: Sequence[tuple[dict, str]], ads: bool = False) -> list[Row]:
    """``(model text, is a cry)`` of the second stage: cries for help against close calls
    (and, with ``ads``, against the NLU job ads too: the ad stage's rows)."""
    return [(text, bool(e["label"])) for e, text in prepared
            if e["label"] or is_close_call(e) or (ads and e.get("intent") in AD_INTENTS)]


def ordinary_rows(prepared: Sequence[tuple[dict, str]]) -> list[Row]:
    """``(model text, is a cry, weight)`` of the ordinary stage: cries for help against close
    calls and every other negative but the ads marked for the ad stage, weighted
    :data:`ORDINARY_STAGE_WEIGHT`."""
    return [(text, bool(e["label"]), weight) for e, text in prepared
            if e.get("intent") != AD_STAGE_ONLY
            and (weight := stage_weight(e, ORDINARY_STAGE_WEIGHT))]


def severity_rows(prepared: Sequence[tuple[dict, str]]) -> list[Row]:
    """``(model text, is an emergency)`` of the severity stage: the labelled cries (their
    ``emergency`` label) and close calls (never one); not the NLU examples, which carry no
    severity."""
    return [(text, bool(e.get("emergency"))) for e, text in prepared
            if "intent" not in e and (e["label"] or is_close_call(e))]


def development_messages(path: Path = SEVERITY_EXAMPLES_FILE) -> list[tuple[dict, str]]:
    """The messages of :data:`SEVERITY_EXAMPLES_FILE` with their model text, read once for every
    stage that learns them; none when the file is absent (an older content folder)."""
    if not path.exists():
        log.warning("no %s: the stages learn the labelled messages alone", path.name)
        return []
    return [(e, model_text(e["text"])) for e in read_examples(path)]


def development_severity_rows(path: Path = SEVERITY_EXAMPLES_FILE) -> list[Row]:
    """``(model text, is an emergency)`` of :data:`SEVERITY_EXAMPLES_FILE` as the severity stage
    reads them (:func:`severity_rows`)."""
    return severity_rows(development_messages(path))


def concept_rows(prepared: Sequence[tuple[dict, str]]) -> list[Row]:
    """``(model text, is a cry, weight)`` of the concept stage: every message but the ads marked
    for the ad stage, labelled close calls weighted :data:`CONCEPT_CLOSE_CALL_WEIGHT`. Its
    callers add :func:`development_messages` (as concepts they teach an idea, not one writer's
    wording; session 25)."""
    return [(text, bool(e["label"]), CONCEPT_CLOSE_CALL_WEIGHT if is_close_call(e) else 1.0)
            for e, text in prepared if e.get("intent") != AD_STAGE_ONLY]


def development_rows(developed: Sequence[tuple[dict, str]],
                     close_call_weight: float) -> list[Row]:
    """The first stage's rows of the development sets: as :func:`first_rows`, each weighing
    :data:`DEVELOPMENT_WEIGHT` as much."""
    return [(text, label, w * DEVELOPMENT_WEIGHT)
            for text, label, w in first_rows(developed, close_call_weight)]


def training_rows(
    examples: Path = EXAMPLES_FILE, nlu: Path = NLU_DIR, close_call_weight: float = 1.0
) -> list[Row]:
    """The first stage's rows of the shipped files and development sets (:func:`first_rows`)."""
    return (first_rows(messages(examples, nlu), close_call_weight)
            + development_rows(development_messages(), close_call_weight))


def second_stage_rows(
    examples: Path = EXAMPLES_FILE, nlu: Path = NLU_DIR, ads: bool = False
) -> list[Row]:
    """The second (or, with ``ads``, the ad) stage's rows of the shipped files."""
    return second_rows(messages(examples, nlu), ads)


def ordinary_stage_rows(examples: Path = EXAMPLES_FILE, nlu: Path = NLU_DIR) -> list[Row]:
    """The ordinary stage's rows of the shipped files (:func:`ordinary_rows`)."""
    return ordinary_rows(messages(examples, nlu))


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


def read_concepts(directory: Path = CONCEPTS_DIR) -> ConceptLexicon | None:
    """The concept lexicon of every ``<lang>.yml`` under ``directory`` (None without any);
    errors name the file, the concept and the word."""
    import yaml

    tables: dict[str, dict[str, list[str]]] = {}
    for path in sorted(directory.glob("*.yml")) if directory.is_dir() else []:
        file = f"{directory.name}/{path.name}"
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as exc:
            raise ContentError(file, None, None, f"not valid YAML: {exc}") from None
        except (OSError, UnicodeDecodeError):
            raise ContentError(file, None, None, "is not a readable UTF-8 text file") from None
        if not isinstance(data, dict):
            raise ContentError(file, None, None, "must map concept names to lists of words")
        for name, forms in data.items():
            if not isinstance(name, str) or not _CONCEPT_NAME.fullmatch(name):
                raise ContentError(file, str(name), None,
                                   "a concept name is capitals and underscores (DIE, HOW_MANY)")
            if not isinstance(forms, list):
                raise ContentError(file, name, None, "must be a list of words")
            for i, form in enumerate(forms):
                if problem := _form_problem(form):
                    raise ContentError(file, name, f"[{i}]", problem)
        tables[path.stem] = {name: [form.strip() for form in forms] for name, forms in data.items()}
    return ConceptLexicon(tables) if tables else None


def _form_problem(form: object) -> str | None:
    """What is wrong with one word of a concept table, or None."""
    if not isinstance(form, str) or not model_text(form.strip().rstrip("*")):
        return "must be a word with letters (not empty, not only spaces or invisible marks)"
    if len(form) > MAX_FORM_CHARS:
        return f"is longer than {MAX_FORM_CHARS} characters"
    if "*" in form.strip().rstrip("*"):
        return "a * may only end a word (a word start: 'poison*')"
    return None


def usable_concepts() -> ConceptLexicon | None:
    """The shipped concept lexicon, or None when a careless edit broke a table: the concept stage
    is then off (said loudly, naming the file, concept and word) and every other stage stays."""
    try:
        return read_concepts(CONCEPTS_DIR)
    except ContentError as exc:
        log.error("concept tables unusable, the concept stage is off: %s", exc)
        return None


def fit_concepts(rows: Sequence[Row], lexicon: ConceptLexicon) -> Averaged | None:
    """The concept stage on ``(prepared text, is a cry[, weight])`` rows: tf-idf of the concepts
    and concept pairs a message names, logistic regression (one BLAS thread, as every stage)."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline, make_union
    from threadpoolctl import threadpool_limits

    if not both_labels(rows):
        return None
    if not any(lexicon(row[0]) for row in rows):  # no word of the tables in any message
        log.warning("no concept of the tables in the training messages: no concept stage")
        return None
    pipeline = make_pipeline(
        make_union(TfidfVectorizer(analyzer=lexicon, sublinear_tf=True, lowercase=False)),
        LogisticRegression(C=C_CONCEPTS, max_iter=3000, class_weight="balanced"))
    with threadpool_limits(1):
        pipeline.fit([r[0] for r in rows], [int(r[1]) for r in rows],
                     logisticregression__sample_weight=[weight(r) for r in rows])
    return Averaged([pipeline])


_models: dict[str, Recogniser] = {}


def fitted_recogniser(
    close_call_weight: float, ad_stage: bool = False, ordinary_stage: bool = False,
    severity_stage: bool = False, concept_stage: bool = False,
) -> Recogniser | None:
    """The fitted recogniser of the shipped examples (memoised; cached on disk across runs)."""
    try:
        prepared = messages()  # read and normalised once for every stage
        # with the development sets, read once for every stage that learns them
        developed = development_messages()
        learned = [*prepared, *developed]
        rows = first_rows(prepared, close_call_weight) + development_rows(developed,
                                                                          close_call_weight)
        second = second_rows(prepared)
        ads = second_rows(prepared, ads=True) if ad_stage else []
        ordinary = ordinary_rows(prepared) if ordinary_stage else []
        severity = severity_rows(learned) if severity_stage else []
        lexicon = usable_concepts() if concept_stage else None
        concepts = concept_rows(learned) if lexicon else []
        key = fingerprint(rows, C, second, ads, ordinary, severity, concepts, lexicon)
        if key not in _models:
            _models.clear()
            _models[key] = load_or_fit(rows, MODEL_CACHE_DIR, second_rows=second, ad_rows=ads,
                                       ordinary_rows=ordinary, severity_rows=severity,
                                       concept_rows=concepts, lexicon=lexicon)
        return _models[key]
    except Exception:  # noqa: BLE001 - patterns still work without the model; say so loudly
        log.error("distress recogniser unavailable: falling back to the patterns alone",
                  exc_info=True)
        return None


def fit_stages(rows: Sequence[Row], c: float, *later: Sequence[Row],
               concepts: Sequence[Row] = (), lexicon: ConceptLexicon | None = None,
               ) -> tuple[Averaged | None, ...]:
    """The first stage and each later stage (second, ads, ordinary, severity; None for one
    without both labels), their pipelines fitted side by side in processes; then the concept
    stage (a few seconds, in this process; None without rows or lexicon)."""
    stages = [member_jobs(rows, c, FIRST_CHAR_RANGES)] + [
        member_jobs(stage, C_SECOND, SECOND_CHAR_RANGES)
        if both_labels(stage) else [] for stage in later]
    jobs = [job for stage in stages for job in stage]
    # the largest first, so the last to finish is a small one
    order = sorted(range(len(jobs)),
                   key=lambda i: (-len(jobs[i].texts), -jobs[i].char_range[1]))
    fitted = dict(zip(order, in_processes(fit_member, [jobs[i] for i in order]), strict=True))
    found, at = [], 0
    for stage in stages:
        found.append(Averaged([fitted[at + i] for i in range(len(stage))]) if stage else None)
        at += len(stage)
    if concepts and lexicon is not None:  # a cache without the stage keeps its five
        found.append(fit_concepts(concepts, lexicon))
    return tuple(found)


def load_or_fit(
    rows: Sequence[Row], cache_dir: Path | None, c: float = C, second_rows: Sequence[Row] = (),
    ad_rows: Sequence[Row] = (), ordinary_rows: Sequence[Row] = (),
    severity_rows: Sequence[Row] = (), concept_rows: Sequence[Row] = (),
    lexicon: ConceptLexicon | None = None,
) -> Recogniser:
    """The fitted model of ``rows`` (and its other stages): from the cache, else fitted."""
    key = fingerprint(rows, c, second_rows, ad_rows, ordinary_rows, severity_rows, concept_rows,
                      lexicon)
    path = cache_dir / f"distress-recogniser-{key}.pkl" if cache_dir else None
    first, second, *more = load_or_build(  # a cache from before the ad stage holds two
        path, lambda: fit_stages(rows, c, second_rows, ad_rows, ordinary_rows, severity_rows,
                                 concepts=concept_rows, lexicon=lexicon),
        "distress recogniser")
    more += [None] * (4 - len(more))
    return Recogniser(first, key, second, *more[:4])
