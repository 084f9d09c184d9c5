"""Distress triage: does a message come from (or about) someone trapped, hurt or in danger?

``triage(text, language=None) -> Triage`` decides with two parts: the learned recogniser
(:mod:`bot.engines.recogniser`, trained on the labelled messages) gives the probability of a cry for
help, and the signal patterns of ``content/distress.yml`` (CONFINEMENT, DOCUMENTS_TAKEN,
VIOLENCE, THREAT_OF_SALE, DEBT_BONDAGE, SUICIDAL, CALL_FOR_HELP, ...) say what the message is
about. A message is distress when the probability reaches the content's threshold, or when an
emergency signal (violence, a death threat, being sold, self-harm) holds: the model never
outvotes those. A distress that reads like a pasted job ad, with no emergency signal and only the
red flags an ad carries, is vetoed when the recogniser's ad stage finds no cry in it
(``recogniser.ad_veto_below``): a job seeker who pastes an ad gets its check, not the hotlines.
Severity is ``emergency`` for an emergency signal, ``urgent`` for other
distress, ``none`` otherwise. It also infers the country the person is probably in from
scam-hub places (:func:`.places.find_places`). This is the one decision: the bot's router and
``python -m bot triage`` both call it.

Design notes:
* Every language's patterns are tried on every message (people mix languages; short messages
  defeat language detection). The ``language`` field is only reported, never used to filter.
* Guard patterns ("help me understand", "renew my passport") are cut out of the text before the
  signals are matched, so an ordinary question does not fire, yet a real signal in the same
  message still does.
* Patterns compile once per content version (ContentCache reloads on file change).
* ``triage`` never raises: any internal failure is logged at DEBUG (never the message text) and
  yields a conservative result.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import re2

from bot import DEFAULT_LANGUAGE, LANGUAGES
from bot.content import ContentCache, ContentError, load_content_file, require
from bot.engines.distress_training import fitted_recogniser, model_text
from bot.engines.patterns import (
    MAX_INPUT_CHARS,
    PatternError,
    PatternSet,
    compile_item,
    compile_regex,
    fold,
    prepare_text,
)
from bot.engines.recogniser import Recogniser

log = logging.getLogger(__name__)

DISTRESS_FILE = "distress.yml"
SEVERITIES = ("none", "urgent", "emergency")
#: Pseudo-signal usable in ``needs_any``: a known scam hub is mentioned.
SCAM_HUB = "SCAM_HUB"
#: Signal reported when a deployment's discreet code word is used.
CODE_WORD = "CODE_WORD"
#: The signal of a plain call for help ("help", "sos", "ช่วยด้วย"): see ``bare_cry_words``.
CALL_FOR_HELP = "CALL_FOR_HELP"
MAX_CHARS = MAX_INPUT_CHARS
#: Probability above which the recogniser calls a message distress (content may set another).
DEFAULT_THRESHOLD = 0.5
DEFAULT_WITH_SIGNAL = 0.25
#: How many ordinary messages one labelled close call weighs in training (content may set another).
DEFAULT_CLOSE_CALL_WEIGHT = 1.0


class Matcher:
    """The patterns of one signal (or of the guards), compiled for RE2 (linear time)."""

    def __init__(self, patterns: PatternSet) -> None:
        self.patterns = patterns

    def search(self, text: str) -> bool:
        return bool(self.patterns.first_matches(text))

    def mask(self, text: str) -> str:
        return self.patterns.mask(text)


@dataclass(frozen=True)
class Signal:
    id: str
    severity: str
    standalone: bool
    needs_any: tuple[str, ...]
    matcher: Matcher


@dataclass(frozen=True)
class DistressContent:
    signals: tuple[Signal, ...]
    guard: Matcher | None
    code_words: Any
    #: The learned recogniser and its decision threshold (probability of distress).
    recogniser: Recogniser | None = None
    threshold: float = DEFAULT_THRESHOLD
    #: A lower threshold for messages the signal patterns call distress (evidence adds up).
    with_signal: float = DEFAULT_WITH_SIGNAL
    #: Training weight of a labelled close call (:func:`bot.recogniser.is_close_call`).
    close_call_weight: float = DEFAULT_CLOSE_CALL_WEIGHT
    #: A distress without an emergency signal is vetoed when the second stage's probability of a
    #: real cry (against close calls) is below this (0: no veto).
    veto_below: float = 0.0
    #: A distress that reads like a pasted job ad, with no emergency signal and no signal outside
    #: ``ad_signals``, is vetoed when the ad stage's probability of a cry is below this (0: off).
    ad_veto_below: float = 0.0
    #: The signals a pasted job ad may carry (its red flags); any other signal spares the message.
    ad_signals: frozenset[str] = frozenset()
    #: A call for help with at most this many other letters ("help", "sos", "ကယ်ကြပါဦး 🙏") is
    #: distress whatever the models say (None: off).
    bare_cry_other_letters: int | None = None


@dataclass
class Triage:
    """Result of :func:`triage`."""

    language: str
    distress: bool
    severity: str  # "emergency" | "urgent" | "none"
    signals: list[str] = field(default_factory=list)
    places: list[str] = field(default_factory=list)
    country: str | None = None
    #: The recogniser's probability that this is a cry for help (1.0 for a code word).
    confidence: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "language": self.language,
            "distress": self.distress,
            "severity": self.severity,
            "signals": list(self.signals),
            "confidence": round(self.confidence, 3),
            "country": self.country,
        }


# --- content loading ---------------------------------------------------------------------------


def _compile(file: str, entry: str, patterns: list[tuple[str, Any]]) -> Matcher:
    """Validate and compile ``(field, item)`` pairs; errors name file, entry and field."""
    for fld, item in patterns:
        try:
            compile_item(item)
        except PatternError as exc:
            raise ContentError(file, entry, fld, str(exc)) from None
    return Matcher(PatternSet((entry, item) for _, item in patterns))


def _language_lists(file: str, entry: str, fld: str, value: Any) -> list[tuple[str, Any]]:
    """Validate a {language: [pattern, ...]} mapping; return (field path, pattern) pairs."""
    if not isinstance(value, dict) or not value:
        raise ContentError(file, entry, fld, "must be a non-empty mapping of language to patterns")
    patterns: list[tuple[str, Any]] = []
    for lang, items in value.items():
        where = f"{fld}.{lang}"
        if lang not in LANGUAGES:
            raise ContentError(file, entry, where, f"unknown language, use one of {LANGUAGES}")
        if not isinstance(items, list) or not items:
            raise ContentError(file, entry, where, "must be a non-empty list of patterns")
        patterns.extend((f"{where}[{i}]", item) for i, item in enumerate(items))
    return patterns


def load_distress(directory: Path | None = None) -> DistressContent:
    """Load and validate distress.yml; raises :class:`ContentError` naming file/entry/field."""
    f = DISTRESS_FILE
    data = load_content_file(f, directory)
    if not isinstance(data, dict):
        raise ContentError(f, None, None, "must be a mapping")
    raw_signals = require(f, None, data, "signals", dict)
    ids = set(raw_signals)
    signals: list[Signal] = []
    for sid, raw in raw_signals.items():
        entry = str(sid)
        if not re.fullmatch(r"[A-Z][A-Z0-9_]*", entry):
            raise ContentError(f, entry, None, "signal ids are UPPER_SNAKE_CASE")
        severity = require(f, entry, raw, "severity", str)
        if severity not in SEVERITIES:
            raise ContentError(f, entry, "severity", f"must be one of {SEVERITIES}")
        standalone = require(f, entry, raw, "standalone", bool)
        needs = raw.get("needs_any") or []
        if not isinstance(needs, list) or not all(isinstance(n, str) for n in needs):
            raise ContentError(f, entry, "needs_any", "must be a list of signal ids")
        for n in needs:
            if n != SCAM_HUB and n not in ids:
                raise ContentError(f, entry, "needs_any", f"unknown signal {n!r}")
        patterns = _language_lists(f, entry, "patterns", raw.get("patterns"))
        matcher = _compile(f, entry, patterns)
        signals.append(Signal(entry, severity, standalone, tuple(needs), matcher))

    guard = None
    if data.get("guards") is not None:
        guard = _compile(f, "guards", _language_lists(f, "guards", "guards", data["guards"]))

    code_words = None
    words = data.get("code_words") or []
    if not isinstance(words, list):
        raise ContentError(f, "code_words", None, "must be a list of phrases")
    alternatives = []
    for i, word in enumerate(words):
        if not isinstance(word, str) or not word.strip():
            raise ContentError(f, "code_words", f"[{i}]", "must be a non-empty string")
        phrase = r"\s+".join(re2.escape(part) for part in prepare_text(word).split())
        alternatives.append(phrase)
    if alternatives:
        # A whole word or phrase: no letter or digit may touch it on either side.
        code_words = compile_regex(
            rf"(?:^|[^\pL\pN_])(?:{'|'.join(alternatives)})(?:$|[^\pL\pN_])"
        )
    values = _settings(f, data.get("recogniser") or {})
    unknown = sorted(values["ad_signals"] - {s.id for s in signals})
    if unknown:
        raise ContentError(f, "recogniser", "ad_signals", f"unknown signals {unknown}")
    model = fitted_recogniser(values["close_call_weight"], values["ad_veto_below"] > 0)
    return DistressContent(tuple(signals), guard, code_words, model, **values)


def _number(f: str, settings: dict[str, Any], name: str, default: float, low: float,
            high: float, says: str) -> float:
    """A numeric setting of ``recogniser`` within [low, high]; ContentError names the field."""
    value = settings.get(name, default)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not low <= value <= high:
        raise ContentError(f, "recogniser", name, says)
    return float(value)


def _settings(f: str, settings: Any) -> dict[str, Any]:
    """The validated ``recogniser`` settings of distress.yml (DistressContent's fields)."""
    if not isinstance(settings, dict):
        raise ContentError(f, "recogniser", None, "must be a mapping")
    values: dict[str, Any] = {}
    for name, default in (("threshold", DEFAULT_THRESHOLD), ("with_signal", DEFAULT_WITH_SIGNAL)):
        value = settings.get(name, default)
        if not isinstance(value, (int, float)) or not 0 < value < 1:
            raise ContentError(f, "recogniser", name, "must be a number between 0 and 1")
        values[name] = float(value)
    veto = settings.get("veto_below", 0.0)
    if isinstance(veto, bool) or not isinstance(veto, (int, float)) or not 0 <= veto < 1:
        raise ContentError(f, "recogniser", "veto_below", "must be a number from 0 to below 1")
    values["veto_below"] = float(veto)
    if values["with_signal"] > values["threshold"]:
        raise ContentError(f, "recogniser", "with_signal", "must not exceed threshold")
    values["close_call_weight"] = _number(f, settings, "close_call_weight",
                                          DEFAULT_CLOSE_CALL_WEIGHT, 1, 50,
                                          "must be a number from 1 to 50")  # fmt: skip
    values["ad_veto_below"] = _number(f, settings, "ad_veto_below", 0.0, 0, 0.99,
                                      "must be a number from 0 (off) to 0.99")
    ad_signals = settings.get("ad_signals", [])
    if not isinstance(ad_signals, list) or not all(isinstance(s, str) for s in ad_signals):
        raise ContentError(f, "recogniser", "ad_signals", "must be a list of signal ids")
    values["ad_signals"] = frozenset(ad_signals)
    bare = settings.get("bare_cry_other_letters")
    if bare is not None and (isinstance(bare, bool) or not isinstance(bare, int)
                             or not 0 <= bare <= 20):
        raise ContentError(f, "recogniser", "bare_cry_other_letters",
                           "must be a whole number from 0 to 20, or absent (off)")
    values["bare_cry_other_letters"] = bare
    return values


_cache: ContentCache[DistressContent] = ContentCache(load_distress, (DISTRESS_FILE,))


def content() -> DistressContent:
    """The current distress content (reloaded when the file changes, last good kept on error)."""
    return _cache.get()


# --- matching ----------------------------------------------------------------------------------


def _prepared(text: str) -> str:
    # Not cached on purpose: a cache would keep users' messages in memory.
    return fold(simplified(model_text(text)))


_HAN = re.compile("[\u4e00-\u9fff]")
_to_simplified: Any = None


def simplified(text: str) -> str:
    """Traditional Chinese characters as simplified ones, for the signal patterns only.

    The Chinese patterns are written in simplified characters, so a ransom demand from Taiwan or
    Hong Kong (贖人, 賣到) matched no signal and a pasted-ad veto could clear it (a labelled
    emergency of batch 12). ICU's Traditional-Simplified (~0.01 ms a message); the recogniser
    still reads the text as written. Without ICU the text is returned unchanged.
    """
    global _to_simplified
    if not _HAN.search(text):
        return text
    try:
        if _to_simplified is None:
            import icu  # type: ignore[import-not-found]

            _to_simplified = icu.Transliterator.createInstance("Traditional-Simplified")
        return str(_to_simplified.transliterate(text))
    except Exception:  # noqa: BLE001 - matching falls back to the text as written
        log.debug("traditional-simplified folding unavailable", exc_info=True)
        return text


def _mask_guards(text: str, guard: Matcher | None) -> str:
    # Blanked with line breaks: patterns' "." cannot reach across a removed span.
    return guard.mask(text) if guard is not None else text


def is_code_word(text: str) -> bool:
    """True if ``text`` contains one of the deployment's discreet code words. Never raises."""
    try:
        if not isinstance(text, str) or not text.strip():
            return False
        regex = content().code_words
        return bool(regex is not None and regex.search(_prepared(text)))
    except Exception:  # noqa: BLE001 - must never raise on user input
        log.debug("is_code_word failed", exc_info=True)
        return False


def _places(text: str) -> tuple[list[str], str | None, bool]:
    """Place ids, the likely country (scam hub first, else last place named), any scam hub."""
    try:
        from bot.engines.places import find_places

        hits = find_places(text)
    except Exception:  # noqa: BLE001 - a places failure must not hide distress
        log.debug("find_places failed", exc_info=True)
        return [], None, False
    if not hits:
        return [], None, False
    ids = list(dict.fromkeys(h.id for h in hits))
    hubs = [h for h in hits if h.is_scam_hub]
    if hubs:
        best = max(hubs, key=lambda h: (getattr(h, "hub_weight", 0.0), h.start))
        return ids, best.country or None, True
    return ids, hits[-1].country or None, False


def _language(text: str, language: str | None) -> str:
    if language:
        try:
            from bot.engines.language import normalize_language_code

            code = normalize_language_code(language)
        except Exception:  # noqa: BLE001
            code = language if language in LANGUAGES else None
        if code:
            return code
    try:
        from bot.engines.language import detect_language

        return detect_language(text, hint=language).code
    except Exception:  # noqa: BLE001
        return DEFAULT_LANGUAGE


def _reads_like_pasted_ad(text: str) -> bool:
    """:func:`.redflags.reads_like_pasted_ad`; on failure False (a cry is never lost to it)."""
    try:
        from bot.engines.redflags import reads_like_pasted_ad

        return reads_like_pasted_ad(text[:MAX_CHARS])
    except Exception:  # noqa: BLE001 - the ad rule may only ever clear, never hide, distress
        log.debug("reads_like_pasted_ad failed", exc_info=True)
        return False


def match_signals(text: str) -> list[str]:
    """Ids of all signal patterns found in ``text`` (before the distress rules apply)."""
    data = content()
    prepared = _mask_guards(_prepared(text), data.guard)
    return [s.id for s in data.signals if s.matcher.search(prepared)]


def is_bare_call_for_help(folded: str, active: list[Signal], max_other_letters: int | None) -> bool:
    """Only a call for help: CALL_FOR_HELP fired and at most ``max_other_letters`` letters are
    left once its matches are blanked ("help me please", "ကယ်ကြပါဦး 🙏", "救命啊"). Letters, not
    words: Thai, Khmer, Lao, Burmese and Chinese write a whole sentence without a space. Counted
    on the text before the guards blank anything, so a joke around "help" is not bare."""
    call = next((s for s in active if s.id == CALL_FOR_HELP), None)
    if max_other_letters is None or call is None:
        return False
    rest = _mask_guards(folded, call.matcher)
    return sum(ch.isalpha() for ch in rest) <= max_other_letters


def _triage(text: str, language: str | None) -> Triage:
    data = content()
    lang = _language(text, language)
    normalized = model_text(text)
    folded = fold(simplified(normalized))
    prepared = _mask_guards(folded, data.guard)
    found = {s.id: s for s in data.signals if s.matcher.search(prepared)}
    place_ids, country, scam_hub = _places(text[:MAX_CHARS])

    present = set(found) | ({SCAM_HUB} if scam_hub else set())
    active = [
        s
        for s in found.values()
        if s.standalone or (s.needs_any and present.intersection(s.needs_any))
    ]
    signal_ids = [s.id for s in data.signals if s.id in found]
    severity_rank = max((SEVERITIES.index(s.severity) for s in active), default=0)
    emergency = severity_rank == SEVERITIES.index("emergency")
    by_patterns = any(s.severity != "none" for s in active)
    if data.recogniser is not None:
        confidence = data.recogniser.probability(normalized)
        # An emergency signal (violence, a death threat, being sold) is never outvoted; other
        # signals lower the bar: the patterns and the model are two pieces of evidence.
        distress = (
            emergency
            or confidence >= data.threshold
            or (by_patterns and confidence >= data.with_signal)
        )
        if (distress and not emergency and data.ad_veto_below > 0
                and set(found) <= data.ad_signals and _reads_like_pasted_ad(text)):
            # A pasted job ad tells of abroad, a boss, a passport and a debt like a cry does; the
            # ad stage (cries against close calls and job ads) decides (README: triage-eval).
            cry = data.recogniser.ad_cry_probability(normalized)
            if cry < data.ad_veto_below:
                distress, confidence = False, cry
        if distress and not emergency and data.veto_below > 0:
            # The second stage knows close calls ("safe now", a game, the news) from cries;
            # when it is confident, it vetoes (confidence then reports its probability).
            cry = data.recogniser.cry_probability(normalized)
            if cry < data.veto_below:
                distress, confidence = False, cry
    else:  # no model could be loaded: the patterns decide, as they did before the model
        distress = by_patterns
        confidence = 1.0 if distress else 0.0
    if not distress and is_bare_call_for_help(folded, active, data.bare_cry_other_letters):
        # Two words say too little for a model to weigh (a Burmese "please save us 🙏" scored
        # 0.06); the contacts cost a joke little, silence costs a person in danger much more.
        distress = True
    if distress and not severity_rank:
        severity_rank = SEVERITIES.index("urgent")

    if data.code_words is not None and data.code_words.search(folded):
        signal_ids.append(CODE_WORD)
        distress, confidence = True, 1.0
        severity_rank = max(severity_rank, SEVERITIES.index("urgent"))

    severity = SEVERITIES[severity_rank] if distress else "none"
    return Triage(lang, distress, severity, signal_ids, place_ids, country, confidence)


def triage(text: str, language: str | None = None) -> Triage:
    """Triage one user message. Never raises; ``language`` (if known) is reported as given."""
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    try:
        return _triage(text, language)
    except ContentError as exc:  # no good content was ever loaded: say so loudly (no user text)
        log.error("distress content unavailable: %s", exc)
    except Exception:  # noqa: BLE001 - must never raise on user input
        log.debug("triage failed", exc_info=True)
    return Triage(language or DEFAULT_LANGUAGE, False, "none")


__all__ = ["Triage", "triage", "is_code_word", "match_signals", "load_distress", "fold", "content"]
