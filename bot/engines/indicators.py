"""The indicator rules of the job-offer check: the data model and loading ``indicators.yml``
(schema errors name file, entry and field). :mod:`bot.engines.redflags` applies them."""

from __future__ import annotations

import logging
import string
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot import LANGUAGES
from bot.content import ContentError, load_content_file, require
from bot.engines.patterns import MAX_INPUT_CHARS, PatternSet, checked_item

log = logging.getLogger(__name__)

INDICATORS_FILE = "indicators.yml"
#: Longer inputs are cut: the start of an ad carries its flags, and this bounds the time per call.
MAX_CHARS = MAX_INPUT_CHARS
#: Extra languages whose patterns/explanations are accepted (Swahili is welcome, not required).
EXTRA_LANGUAGES: tuple[str, ...] = ("sw",)
_STRENGTHS = ("weak", "strong")
_COMPUTED = ("salary", "places", "model")
ABROAD = "@abroad"
JOB_AD = "@job_ad"
MITIGATION = "@mitigation"
PROCESS = "@process"
#: Pay that is commission on sales: its figure is a ceiling, not a promised wage.
VARIABLE_PAY = "@variable_pay"
FAIR_PAY = "@fair_pay"
#: A passport copy named among an application's documents (CV, certificates, medical).
APPLICATION = "@application"
#: The destination is a country or region where compounds recruit (``lure_countries``, or a
#: ``context.lure_region`` such as "South-East Asia") and the ad is written from elsewhere.
LURE_ABROAD = "@lure_abroad"
LURE_REGION = "@lure_region"
#: A trade the salary tables do not list ("security guard", "plantation"): the ad names the work.
NAMED_JOB = "@named_job"
#: The ad names no job the salary tables know and no vague office role: it does not say what
#: the work is.
NO_JOB = "@no_job"
#: Context keys a combination may name beside indicator ids (computed by the check).
COMBINABLE = (ABROAD, LURE_ABROAD, NO_JOB)
#: At most this many kinds of reassurance (licence, due process, a fair wage for a named job)
#: multiply the score down.
MAX_REASSURANCES = 2
#: The context keys that reassure: a licence, due process, fair pay for the job.
REASSURANCES = (MITIGATION, PROCESS, FAIR_PAY)


# --- data model ------------------------------------------------------------------------------


@dataclass(frozen=True)
class FlagHit:
    """One red flag: its id and the evidence span (from the original text when ``mapped``)."""

    id: str
    evidence: str
    start: int
    end: int
    mapped: bool = True


@dataclass
class OfferCheck:
    language: str
    risk: str
    score: float
    flags: list[FlagHit] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "language": self.language,
            "risk": self.risk,
            "score": round(self.score, 3),
            "flags": [{"id": f.id, "evidence": f.evidence} for f in self.flags],
        }


@dataclass(frozen=True)
class Indicator:
    id: str
    weight: float
    strength: str
    computed: str | None
    sources: tuple[str, ...]
    patterns: tuple[Any, ...]
    explanations: dict[str, str]
    #: A fact ordinary jobs share (a hub town, high pay): reassurances may lower it.
    context: bool = False


@dataclass(frozen=True)
class Combination:
    id: str
    all: frozenset[str]
    min_score: float


@dataclass(frozen=True)
class Rules:
    indicators: dict[str, Indicator]
    combinations: tuple[Combination, ...]
    high: float
    medium: float
    abroad_factor: float
    mitigation_factor: float
    #: A hub whose offer weight is below this (a capital where most jobs are ordinary, such as
    #: Phnom Penh) adds its weight to an offer but forms no combination.
    hub_combination_floor: float
    home_countries: dict[str, str]
    #: At least ``several_signs[0]`` indicators abroad or in a hub town score at least
    #: ``several_signs[1]`` (before reassurances); None when the content file sets none.
    several_signs: tuple[int, float] | None
    #: Countries where compounds recruit foreigners to (ISO codes; see ``LURE_ABROAD``).
    lure_countries: frozenset[str]
    #: One matcher for every pattern; keys are indicator ids and the context keys below.
    matcher: PatternSet
    #: The learned second opinion's ``(raise_above, clear_below)``
    #: (:mod:`bot.engines.offer_model`); None when the content file sets none.
    learned: tuple[float, float] | None = None
    #: The model's raise threshold for an ad with a checkable reassurance (licence, due process,
    #: fair pay for a named job), no chat-app recruiter and no lure country; None: raise_above.
    learned_reassured: float | None = None


# --- loading ---------------------------------------------------------------------------------


def _prepared_patterns(file: str, entry: str, field_name: str, by_lang: Any) -> list[Any]:
    """Validated pattern items from ``{lang: [item, ...]}``; errors name ``field.lang[i]``."""
    if by_lang in (None, {}):
        return []
    if not isinstance(by_lang, dict):
        raise ContentError(file, entry, field_name, "must be a mapping of language to regex list")
    out: list[Any] = []
    for lang, patterns in by_lang.items():
        where = f"{field_name}.{lang}"
        if lang not in LANGUAGES and lang not in EXTRA_LANGUAGES:
            raise ContentError(file, entry, where, f"unknown language {lang!r}")
        if not isinstance(patterns, list) or not patterns:
            raise ContentError(file, entry, where, "must be a non-empty list of patterns")
        out.extend(checked_item(file, entry, f"{where}[{i}]", p) for i, p in enumerate(patterns))
    return out


def _placeholders(text: str) -> set[str]:
    try:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
    except ValueError:
        return {"<malformed>"}


def _several_signs(f: str, raw: Any) -> tuple[int, float] | None:
    """``several_signs: {count, min_score}`` validated; errors name the field."""
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise ContentError(f, "several_signs", None, "must be a mapping {count, min_score}")
    count = require(f, "several_signs", raw, "count", int)
    score = require(f, "several_signs", raw, "min_score", (int, float))
    if isinstance(count, bool) or count < 2:
        raise ContentError(f, "several_signs", "count", "must be a whole number of at least 2")
    if not 0 < score < 1:
        raise ContentError(f, "several_signs", "min_score", "must be between 0 and 1")
    return count, float(score)


def _learned(f: str, raw: Any, indicators: dict[str, Indicator]) -> tuple[float, float] | None:
    """``learned: {raise_above, clear_below}`` validated; errors name the field."""
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise ContentError(f, "learned", None, "must be a mapping {raise_above, clear_below}")
    above = require(f, "learned", raw, "raise_above", (int, float))
    below = require(f, "learned", raw, "clear_below", (int, float))
    if not 0 <= below < above <= 1:
        raise ContentError(f, "learned", None, "need 0 <= clear_below < raise_above <= 1")
    if not any(ind.computed == "model" for ind in indicators.values()):
        raise ContentError(f, "learned", None, "needs an indicator with computed: model (its flag)")
    return float(above), float(below)


def _learned_reassured(f: str, raw: Any, learned: tuple[float, float] | None) -> float | None:
    """``learned.raise_above_reassured`` (optional): at least raise_above, at most 1."""
    if learned is None or raw.get("raise_above_reassured") is None:
        return None
    value = require(f, "learned", raw, "raise_above_reassured", (int, float))
    if isinstance(value, bool) or not learned[0] <= value <= 1:  # `true` is not a number here
        raise ContentError(f, "learned", None, "need raise_above <= raise_above_reassured <= 1")
    return float(value)


def load_rules(directory: Path | None = None) -> Rules:
    """Load and validate indicators.yml; raise :class:`ContentError` naming file/entry/field."""
    f = INDICATORS_FILE
    data = load_content_file(f, directory)
    if not isinstance(data, dict):
        raise ContentError(f, None, None, "must be a mapping")
    thresholds = require(f, None, data, "risk_thresholds", dict)
    high = float(require(f, "risk_thresholds", thresholds, "high", (int, float)))
    medium = float(require(f, "risk_thresholds", thresholds, "medium", (int, float)))
    if not 0 < medium < high <= 1:
        raise ContentError(f, "risk_thresholds", None, "need 0 < medium < high <= 1")
    abroad_factor = float(data.get("abroad_factor", 1.0))
    mitigation_factor = float(data.get("mitigation_factor", 1.0))
    floor = data.get("hub_combination_floor", 0.0)
    if not isinstance(floor, (int, float)) or not 0 <= floor < 1:
        raise ContentError(f, None, "hub_combination_floor", "must be a number from 0 to below 1")
    several = _several_signs(f, data.get("several_signs"))
    home = data.get("home_countries") or {}
    if not isinstance(home, dict):
        raise ContentError(f, None, "home_countries", "must be a mapping")

    indicators: dict[str, Indicator] = {}
    raw_list = require(f, None, data, "indicators", list)
    for i, raw in enumerate(raw_list):
        entry = str(raw.get("id", f"#{i}")) if isinstance(raw, dict) else f"#{i}"
        iid = require(f, entry, raw, "id", str)
        if iid in indicators:
            raise ContentError(f, entry, "id", "duplicate id")
        weight = float(require(f, entry, raw, "weight", (int, float)))
        if not 0 <= weight < 1:
            raise ContentError(f, entry, "weight", "must be between 0 and 1 (exclusive)")
        strength = require(f, entry, raw, "strength", str)
        if strength not in _STRENGTHS:
            raise ContentError(f, entry, "strength", f"must be one of {', '.join(_STRENGTHS)}")
        computed = raw.get("computed")
        if computed is not None and computed not in _COMPUTED:
            raise ContentError(f, entry, "computed", f"must be one of {', '.join(_COMPUTED)}")
        sources = require(f, entry, raw, "sources", list)
        if not sources or not all(isinstance(s, str) and s for s in sources):
            raise ContentError(f, entry, "sources", "must be a non-empty list of strings")
        patterns = _prepared_patterns(f, entry, "patterns", raw.get("patterns"))
        if not patterns and computed is None:
            raise ContentError(f, entry, "patterns", "is missing (the indicator is not computed)")
        expl = require(f, entry, raw, "explanation", dict)
        explanations: dict[str, str] = {}
        for lang in LANGUAGES:
            text = expl.get(lang)
            if not isinstance(text, str) or not text.strip():
                raise ContentError(f, entry, f"explanation.{lang}", "is missing or empty")
            explanations[lang] = text.strip()
        for lang, text in expl.items():
            if lang not in LANGUAGES:
                if lang not in EXTRA_LANGUAGES or not isinstance(text, str):
                    raise ContentError(f, entry, f"explanation.{lang}", "unknown language")
                explanations[lang] = text.strip()
        wanted = _placeholders(explanations["en"])
        for lang, text in explanations.items():
            if _placeholders(text) != wanted:
                raise ContentError(
                    f, entry, f"explanation.{lang}", "placeholders differ from the English text"
                )
        context_flag = raw.get("context", False)
        if not isinstance(context_flag, bool):
            raise ContentError(f, entry, "context", "must be true or false")
        indicators[iid] = Indicator(
            iid, weight, strength, computed, tuple(sources), tuple(patterns), explanations,
            context_flag,
        )

    combos: list[Combination] = []
    for i, raw in enumerate(data.get("combinations") or []):
        entry = f"combinations[{i}]"
        cid = require(f, entry, raw, "id", str)
        members = require(f, cid, raw, "all", list)
        for member in members:
            if member not in COMBINABLE and member not in indicators:
                raise ContentError(f, f"combinations.{cid}", "all", f"unknown indicator {member!r}")
        min_score = float(require(f, cid, raw, "min_score", (int, float)))
        if not 0 < min_score < 1:
            raise ContentError(f, f"combinations.{cid}", "min_score", "must be between 0 and 1")
        combos.append(Combination(cid, frozenset(members), min_score))

    context = data.get("context") or {}
    if not isinstance(context, dict):
        raise ContentError(f, None, "context", "must be a mapping")
    items = [(iid, p) for iid, ind in indicators.items() for p in ind.patterns]
    lists = [(ABROAD, "context", "abroad", context.get("abroad")),
             (JOB_AD, "context", "job_ad", context.get("job_ad")),
             (MITIGATION, "mitigations", "patterns", data.get("mitigations")),
             (PROCESS, "context", "due_process", context.get("due_process")),
             (VARIABLE_PAY, "context", "variable_pay", context.get("variable_pay")),
             (APPLICATION, "context", "application", context.get("application")),
             (LURE_REGION, "context", "lure_region", context.get("lure_region")),
             (NAMED_JOB, "context", "named_job", context.get("named_job"))]
    for key, entry, name, value in lists:
        items += [(key, p) for p in _prepared_patterns(f, entry, name, value)]
    return Rules(
        indicators=indicators,
        combinations=tuple(combos),
        high=high,
        medium=medium,
        abroad_factor=abroad_factor,
        mitigation_factor=mitigation_factor,
        hub_combination_floor=float(floor),
        home_countries={str(k): str(v) for k, v in home.items()},
        several_signs=several,
        lure_countries=frozenset(str(c) for c in data.get("lure_countries") or []),
        matcher=PatternSet(items),
        learned=(learned := _learned(f, data.get("learned"), indicators)),
        learned_reassured=_learned_reassured(f, data.get("learned"), learned),
    )
