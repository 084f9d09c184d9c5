"""The content of ``content/distress.yml``, validated and compiled: signals, guards, code words, the
recogniser and its thresholds (:class:`DistressContent`).

Split from :mod:`bot.engines.triage`, which makes the decision with it. Every pattern compiles for
RE2 (linear time whatever a content editor writes); an error names file, entry and field, and the
last good content keeps serving (:class:`bot.content.ContentCache`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import re2

from bot import LANGUAGES
from bot.content import ContentCache, ContentError, load_content_file, require
from bot.engines.distress_training import fitted_recogniser
from bot.engines.patterns import PatternError, PatternSet, compile_item, compile_regex, prepare_text
from bot.engines.recogniser import Recogniser

DISTRESS_FILE = "distress.yml"
SEVERITIES = ("none", "urgent", "emergency")
#: Pseudo-signal usable in ``needs_any``: a known scam hub is mentioned.
SCAM_HUB = "SCAM_HUB"
#: Probability above which the recogniser calls a message distress (content may set another).
DEFAULT_THRESHOLD = 0.5
DEFAULT_WITH_SIGNAL = 0.25
#: How many ordinary messages one labelled close call weighs in training (content may set another).
DEFAULT_CLOSE_CALL_WEIGHT = 1.0
#: The ``recogniser`` settings that name signals (each checked against the signals defined).
SIGNAL_LISTS = ("ad_signals", "emergency_veto_signals", "emergency_joke_signals",
                "emergency_keep_signals", "first_hand_signals", "first_hand_unless_signals",
                "safe_now_signals", "compound_unless_signals", "check_in_signals")


class Matcher:
    """The patterns of one signal (or of the guards), compiled for RE2 (linear time)."""

    def __init__(self, patterns: PatternSet) -> None:
        self.patterns = patterns

    def search(self, text: str) -> bool:
        return self.patterns.any_match(text)

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
    #: A distress that no signal calls distress (the first stage alone) is vetoed when the
    #: ordinary stage's probability of a cry (against close calls and ordinary traffic) is below
    #: this (0: off; session 13).
    ordinary_veto_below: float = 0.0
    #: The signals a pasted job ad may carry (its red flags); any other signal spares the message.
    ad_signals: frozenset[str] = frozenset()
    #: An emergency signal is outvoted only when the second stage's probability of a real cry is
    #: below this AND the first stage's is below ``emergency_veto_first_below`` (0: off, an
    #: emergency signal is never outvoted).
    emergency_veto_below: float = 0.0
    emergency_veto_first_below: float = 0.0
    #: ... and only when one of these signals was found (empty: any message).
    emergency_veto_signals: frozenset[str] = frozenset()
    #: An emergency signal in a message with no media signal is outvoted only when BOTH stages
    #: are below this and one of ``emergency_joke_signals`` (a laughter marker, an idiom of
    #: work/exams/traffic) was found (0: off).
    emergency_joke_veto_below: float = 0.0
    emergency_joke_signals: frozenset[str] = frozenset()
    #: Any of these ("I am not joking", "now I am inside") keeps an emergency from every veto.
    emergency_keep_signals: frozenset[str] = frozenset()
    #: Any of these ("how do I get out of here", "it is happening to me") beside a signal that
    #: calls it distress makes it distress whatever the models say, unless one of
    #: ``first_hand_unless_signals`` (a survivor safe now) was found too (session 9).
    first_hand_signals: frozenset[str] = frozenset()
    first_hand_unless_signals: frozenset[str] = frozenset()
    #: With one of these (a survivor safe now) and none of ``first_hand_signals``, the signals
    #: do not lower the first stage's bar: it needs ``threshold``, not ``with_signal`` (close17).
    safe_now_signals: frozenset[str] = frozenset()
    #: A call for help with at most this many other letters ("help", "sos", "ကယ်ကြပါဦး 🙏") is
    #: distress whatever the models say (None: off).
    bare_cry_other_letters: int | None = None
    #: A message of at most ``short_letters`` letters that a signal calls distress needs only
    #: ``short_with_signal`` of the first stage: a few words give it little to weigh (0: off).
    short_letters: int = 0
    short_with_signal: float = 0.0
    #: A message of at most ``alone_letters`` letters in which no signal at all was found needs
    #: ``alone_threshold`` of the first stage, not ``threshold`` (session 12; 0: off).
    alone_letters: int = 0
    alone_threshold: float = 0.0
    #: A message in which at least ``compound_signals`` distinct signals of distress were found
    #: (one of them calling it distress) and none of ``compound_unless_signals`` needs only
    #: ``compound_with_signal`` of the first stage, and the second stage does not veto it
    #: (session 14; 0: off).
    compound_signals: int = 0
    compound_with_signal: float = 0.0
    compound_unless_signals: frozenset[str] = frozenset()
    #: A distress that only ``check_in_signals`` call distress (a wish to die), with no
    #: ``first_hand_signals``, that both stages score below ``check_in_below`` gets a check-in
    #: (the contacts and a question), not the distress card (session 15; 0: off).
    check_in_signals: frozenset[str] = frozenset()
    check_in_below: float = 0.0
    #: ... or that the second stage scores below ``check_in_rest_full_below`` and, with the
    #: spans of ``check_in_signals`` blanked, below ``check_in_rest_below`` on a rest of at least
    #: ``check_in_rest_letters`` letters (session 17; 0: off).
    check_in_rest_below: float = 0.0
    check_in_rest_full_below: float = 0.0
    check_in_rest_letters: int = 0
    #: ... but never a wish to die that says nothing else: fewer than ``check_in_bare_letters``
    #: letters left once its spans are blanked (a Chinese character counts three) and no
    #: ``emergency_joke_signals``: a wish in jest names its everyday cause (session 21; 0: off).
    check_in_bare_letters: int = 0
    #: A distress no emergency signal called is an emergency when the severity stage (labelled
    #: emergencies against other cries and close calls) scores it at or above this; never one
    #: whose emergency signal a veto outvoted (session 19; 0: off). A distress no signal called
    #: (the models alone) needs ``emergency_alone_above`` (when higher).
    emergency_above: float = 0.0
    emergency_alone_above: float = 0.0
    #: A message the other rules leave alone is distress when the concept stage (cries against
    #: every other message, on the concepts it names in any language) scores it at or above
    #: this and the first stage at or above ``concept_first_above`` (session 25; 0: off).
    concept_above: float = 0.0
    concept_first_above: float = 0.0

    @cached_property
    def check_in_patterns(self) -> tuple[Signal, ...]:
        """The signals of ``check_in_signals`` (whose spans the rest rule blanks), held once."""
        return tuple(s for s in self.signals if s.id in self.check_in_signals)


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
    # The settings first: a bad one is refused before ~2 s of pattern compiling.
    values = _settings(f, data.get("recogniser") or {})
    for name in SIGNAL_LISTS:
        unknown = sorted(values[name] - {str(sid) for sid in ids})
        if unknown:
            raise ContentError(f, "recogniser", name, f"unknown signals {unknown}")
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
    model = fitted_recogniser(values["close_call_weight"], values["ad_veto_below"] > 0,
                              values["ordinary_veto_below"] > 0, values["emergency_above"] > 0,
                              values["concept_above"] > 0)
    return DistressContent(tuple(signals), guard, code_words, model, **values)


def _count(f: str, settings: dict[str, Any], name: str, high: int) -> int:
    """A whole-number setting of ``recogniser`` from 0 (off) to ``high`` (letters, signals);
    ContentError names the field."""
    value = settings.get(name, 0)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= high:
        raise ContentError(f, "recogniser", name, f"must be a whole number from 0 to {high}")
    return value


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
    values["ordinary_veto_below"] = _number(f, settings, "ordinary_veto_below", 0.0, 0, 0.99,
                                            "must be a number from 0 (off) to 0.99")
    values["emergency_above"] = _number(f, settings, "emergency_above", 0.0, 0, 0.99,
                                        "must be a number from 0 (off) to 0.99")
    values["emergency_alone_above"] = _number(f, settings, "emergency_alone_above", 0.0, 0, 0.99,
                                              "must be a number from 0 to 0.99")
    values["concept_above"] = _number(f, settings, "concept_above", 0.0, 0, 0.99,
                                      "must be a number from 0 (off) to 0.99")
    values["concept_first_above"] = _number(f, settings, "concept_first_above", 0.0, 0,
                                            values["threshold"], "must be from 0 to the threshold")
    values["emergency_veto_below"] = _number(f, settings, "emergency_veto_below", 0.0, 0, 0.5,
                                             "must be a number from 0 (off) to 0.5")
    values["emergency_veto_first_below"] = _number(
        f, settings, "emergency_veto_first_below", 0.0, 0, values["threshold"],
        "must be a number from 0 to the threshold")
    values["emergency_joke_veto_below"] = _number(f, settings, "emergency_joke_veto_below", 0.0,
                                                  0, 0.1, "must be a number from 0 (off) to 0.1")
    for name in SIGNAL_LISTS:
        ids = settings.get(name, [])
        if not isinstance(ids, list) or not all(isinstance(s, str) for s in ids):
            raise ContentError(f, "recogniser", name, "must be a list of signal ids")
        values[name] = frozenset(ids)
    bare = settings.get("bare_cry_other_letters")
    if bare is not None and (isinstance(bare, bool) or not isinstance(bare, int)
                             or not 0 <= bare <= 20):
        raise ContentError(f, "recogniser", "bare_cry_other_letters",
                           "must be a whole number from 0 to 20, or absent (off)")
    values["bare_cry_other_letters"] = bare
    values["short_letters"] = _count(f, settings, "short_letters", 200)
    values["short_with_signal"] = _number(f, settings, "short_with_signal", 0.0, 0,
                                          values["with_signal"], "must be from 0 to with_signal")
    values["alone_letters"] = _count(f, settings, "alone_letters", 200)
    values["compound_signals"] = _count(f, settings, "compound_signals", 10)
    values["compound_with_signal"] = _number(f, settings, "compound_with_signal", 0.0, 0,
                                             values["with_signal"], "must be from 0 to with_signal")
    values["check_in_below"] = _number(f, settings, "check_in_below", 0.0, 0, 0.5,
                                       "must be a number from 0 (off) to 0.5")
    values["check_in_rest_below"] = _number(f, settings, "check_in_rest_below", 0.0, 0, 0.5,
                                            "must be a number from 0 (off) to 0.5")
    values["check_in_rest_full_below"] = _number(f, settings, "check_in_rest_full_below", 0.0,
                                                 0, 0.99, "must be a number from 0 to 0.99")
    values["check_in_rest_letters"] = _count(f, settings, "check_in_rest_letters", 200)
    values["check_in_bare_letters"] = _count(f, settings, "check_in_bare_letters", 40)
    values["alone_threshold"] = _number(f, settings, "alone_threshold", 0.0, values["threshold"],
                                        0.99, "must be from the threshold to 0.99")
    return values


_cache: ContentCache[DistressContent] = ContentCache(load_distress, (DISTRESS_FILE,))


def content() -> DistressContent:
    """The current distress content (reloaded when the file changes, last good kept on error)."""
    return _cache.get()
