"""Distress triage: does a message come from (or about) someone trapped, hurt or in danger?

``triage(text, language=None) -> Triage`` matches the signal patterns of
``bot/content/distress.yml`` (CONFINEMENT, DOCUMENTS_TAKEN, VIOLENCE, THREAT_OF_SALE,
DEBT_BONDAGE, FORCED_SCAMMING, CROSS_BORDER_MOVE, SUICIDAL, THIRD_PARTY, CALL_FOR_HELP, ...) in
all ten languages at once, and infers the country the person is probably in from scam-hub places
(:func:`bot.places.find_places`). Recall comes first: the price of a false alarm is one hotline
card, the price of a miss can be a life. Severity is ``emergency`` when a matched signal is
marked so in the content (violence, immediate danger, suicidal thoughts), ``urgent`` for other
distress, ``none`` otherwise.

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
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot import DEFAULT_LANGUAGE, LANGUAGES
from bot.content import ContentCache, ContentError, load_content_file, require
from bot.limits import MAX_MESSAGE_CHARS

log = logging.getLogger(__name__)

DISTRESS_FILE = "distress.yml"
SEVERITIES = ("none", "urgent", "emergency")
#: Pseudo-signal usable in ``needs_any``: a known scam hub is mentioned.
SCAM_HUB = "SCAM_HUB"
#: Signal reported when a deployment's discreet code word is used.
CODE_WORD = "CODE_WORD"
MAX_CHARS = MAX_MESSAGE_CHARS  # distress is said early; bounding the input bounds the time

# Marks removed after Latin letters when folding (Vietnamese tones, Indonesian accents...).
_APOSTROPHES = {ord(c): None for c in "'’‘`´ʼ"}
_FOLD_EXTRA = {ord("đ"): "d", ord("Đ"): "d", ord("ð"): "d", ord("ł"): "l", ord("ø"): "o"}


#: Scripts by code point range; patterns and texts are grouped by script so that, say, a Thai
#: message never pays for the (many) Latin-script patterns.
_SCRIPT_RANGES: tuple[tuple[int, int, str], ...] = (
    (0x0900, 0x097F, "deva"),
    (0x0E00, 0x0E7F, "thai"),
    (0x0E80, 0x0EFF, "lao"),
    (0x1000, 0x109F, "mymr"),
    (0xAA60, 0xAA7F, "mymr"),
    (0x1780, 0x17FF, "khmr"),
    (0x19E0, 0x19FF, "khmr"),
    (0x2E80, 0x9FFF, "han"),
    (0xF900, 0xFAFF, "han"),
    (0x20000, 0x3FFFF, "han"),
)


def _script(ch: str) -> str | None:
    """Script group of one character ("latin" for Latin letters; None for the rest)."""
    if ch.isascii():
        return "latin" if ch.isalpha() else None
    cp = ord(ch)
    for low, high, name in _SCRIPT_RANGES:
        if low <= cp <= high:
            return name
    if _is_latin(ch) and ch.isalpha():
        return "latin"
    return None


def _scripts(text: str) -> frozenset[str]:
    return frozenset(filter(None, map(_script, set(text))))


class Matcher:
    """Regexes of one signal (or of the guards) grouped by script; searched only if present."""

    def __init__(self, groups: dict[str, re.Pattern[str]]) -> None:
        self.groups = groups
        # Patterns without letters (e.g. punctuation-only) run whatever the text's script.
        self.always = groups.get("any")

    def search(self, text: str, scripts: frozenset[str]) -> bool:
        if self.always is not None and self.always.search(text):
            return True
        return any(rx.search(text) for sc, rx in self.groups.items() if sc in scripts)

    def sub(self, repl: str, text: str, scripts: frozenset[str]) -> str:
        for sc, rx in self.groups.items():
            if sc == "any" or sc in scripts:
                text = rx.sub(repl, text)
        return text


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
    code_words: re.Pattern[str] | None


@dataclass
class Triage:
    """Result of :func:`triage`."""

    language: str
    distress: bool
    severity: str  # "emergency" | "urgent" | "none"
    signals: list[str] = field(default_factory=list)
    places: list[str] = field(default_factory=list)
    country: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "language": self.language,
            "distress": self.distress,
            "severity": self.severity,
            "signals": list(self.signals),
            "country": self.country,
        }


# --- text folding ------------------------------------------------------------------------------


def _is_latin(ch: str) -> bool:
    """A Latin letter. Not punctuation: in "(ไม่" the tone mark after "(" belongs to the Thai."""
    return ch.isalpha() and (
        ch.isascii() or "\u00c0" <= ch <= "\u024f" or "\u1e00" <= ch <= "\u1eff"
    )


def fold(text: str) -> str:
    """Drop accents from Latin letters and delete apostrophes; other scripts are untouched.

    Non-Latin combining marks (Thai vowels, Devanagari matras...) carry meaning and are kept.
    """
    text = text.translate(_APOSTROPHES).translate(_FOLD_EXTRA)
    if text.isascii():
        return text
    out: list[str] = []
    prev_latin = False
    for ch in unicodedata.normalize("NFD", text):
        if unicodedata.combining(ch):
            if prev_latin:
                continue
        else:
            prev_latin = _is_latin(ch)
        out.append(ch)
    return unicodedata.normalize("NFC", "".join(out))


_ESCAPE_OR_UPPER = re.compile(r"\\.|[^\\]+", re.DOTALL)


def _prepare_pattern(pattern: str) -> str:
    """Bring a content pattern into the same form as the text it is matched against.

    Texts are case folded, so patterns are lower-cased too (escapes such as ``\\S`` kept), which
    lets the regexes run without IGNORECASE (twice as fast).
    """
    pattern = fold(unicodedata.normalize("NFKC", pattern))
    return "".join(
        part if part.startswith("\\") else part.casefold()
        for part in _ESCAPE_OR_UPPER.findall(pattern)
    )


def _pattern_script(pattern: str) -> str:
    """The script a pattern is written in: its first non-Latin letter's, else Latin or any."""
    scripts = {_script(ch) for ch in pattern if ch.isalpha() or unicodedata.combining(ch)}
    scripts.discard(None)
    non_latin = sorted(scripts - {"latin"})
    if non_latin:
        return non_latin[0]
    # Letters that are only escapes (\S, \b) or none at all: run on every text.
    letters = re.sub(r"\\.", "", pattern)
    return "latin" if any(c.isalpha() for c in letters) else "any"


def _normalize(text: str) -> str:
    from bot.text import normalize  # lazy: keeps import time small

    return normalize(text)


# --- content loading ---------------------------------------------------------------------------


def _compile(file: str, entry: str, patterns: list[tuple[str, Any]]) -> Matcher:
    """Validate and compile ``(field, pattern)`` pairs into one regex per script."""
    groups: dict[str, list[str]] = {}
    for fld, pattern in patterns:
        if not isinstance(pattern, str) or not pattern.strip():
            raise ContentError(file, entry, fld, "must be a non-empty string")
        prepared = _prepare_pattern(pattern)
        try:
            re.compile(prepared)
        except re.error as exc:
            raise ContentError(file, entry, fld, f"invalid regex: {exc}") from None
        groups.setdefault(_pattern_script(prepared), []).append(f"(?:{prepared})")
    return Matcher({sc: re.compile("|".join(parts)) for sc, parts in groups.items()})


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
        phrase = re.escape(fold(_normalize(word))).replace(r"\ ", r"\s+")
        alternatives.append(rf"(?<!\w){phrase}(?!\w)")
    if alternatives:
        code_words = re.compile("|".join(alternatives))
    return DistressContent(tuple(signals), guard, code_words)


_cache: ContentCache[DistressContent] = ContentCache(load_distress, (DISTRESS_FILE,))


def content() -> DistressContent:
    """The current distress content (reloaded when the file changes, last good kept on error)."""
    return _cache.get()


# --- matching ----------------------------------------------------------------------------------


def _prepared(text: str) -> str:
    # Not cached on purpose: a cache would keep users' messages in memory.
    return fold(_normalize(text[:MAX_CHARS]))


def _mask_guards(text: str, guard: Matcher | None, scripts: frozenset[str]) -> str:
    # A line break: patterns' "." cannot reach across a removed span.
    return guard.sub("\n", text, scripts) if guard is not None else text


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
        from bot.places import find_places

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
            from bot.language import normalize_language_code

            code = normalize_language_code(language)
        except Exception:  # noqa: BLE001
            code = language if language in LANGUAGES else None
        if code:
            return code
    try:
        from bot.language import detect_language

        return detect_language(text, hint=language).code
    except Exception:  # noqa: BLE001
        return DEFAULT_LANGUAGE


def match_signals(text: str) -> list[str]:
    """Ids of all signal patterns found in ``text`` (before the distress rules apply)."""
    data = content()
    folded = _prepared(text)
    scripts = _scripts(folded)
    prepared = _mask_guards(folded, data.guard, scripts)
    return [s.id for s in data.signals if s.matcher.search(prepared, scripts)]


def _triage(text: str, language: str | None) -> Triage:
    data = content()
    lang = _language(text, language)
    folded = _prepared(text)
    scripts = _scripts(folded)
    prepared = _mask_guards(folded, data.guard, scripts)
    found = {s.id: s for s in data.signals if s.matcher.search(prepared, scripts)}
    place_ids, country, scam_hub = _places(text[:MAX_CHARS])

    present = set(found) | ({SCAM_HUB} if scam_hub else set())
    active = [
        s
        for s in found.values()
        if s.standalone or (s.needs_any and present.intersection(s.needs_any))
    ]
    signal_ids = [s.id for s in data.signals if s.id in found]
    severity_rank = max((SEVERITIES.index(s.severity) for s in active), default=0)
    distress = any(s.severity != "none" for s in active)

    if data.code_words is not None and data.code_words.search(folded):
        signal_ids.append(CODE_WORD)
        distress = True
        severity_rank = max(severity_rank, SEVERITIES.index("urgent"))

    severity = SEVERITIES[severity_rank] if distress else "none"
    return Triage(lang, distress, severity, signal_ids, place_ids, country)


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
