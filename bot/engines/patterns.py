"""Content patterns: the one place that folds text and prepares, compiles and matches patterns.

Every pattern staff can edit (indicators, distress signals and guards, code words, FAQ keywords,
places, salary job types) goes through this module, on RE2 (``google-re2``): matching is linear
in the length of the text by construction, so no pattern an editor publishes and no message a
stranger sends can hold a process (Python's backtracking ``re`` took minutes on 200 characters
with a pattern such as ``(\\S*\\s?){0,5}``).

Decisions and risks:

* RE2 has no lookarounds and no backreferences. "X, but not in Y" is written in content as a
  mapping ``{match: X, unless: Y}``: the spans of Y are blanked out of the text (same length, so
  offsets hold) before X is searched, so "sick of it" does not count as "sick" while "sick of
  this, I am sick and they give no medicine" still does. ``{match: X, not_with: Y}`` counts X
  only when Y occurs nowhere in the text (a question about a *lost* passport is not about a
  *kept* one). A pattern with a lookaround is refused with that advice, naming file, entry,
  field and the reason.
* Texts and patterns are folded the same way (:func:`fold`): case folded, Latin accents and
  apostrophes removed ("lương cao" = "luong cao", "don't" = "dont"). After folding, Latin words
  are ASCII, which is what RE2's ASCII-only ``\\b`` needs; ``\\w`` and ``\\W`` are rewritten to
  Unicode classes, and ``\\uXXXX`` escapes to RE2's ``\\x{XXXX}``.
* A pattern that compiles but matches (nearly) every text is refused by the validators in
  :mod:`bot.content.versions`; this module only guarantees it cannot be slow.
* Texts are cut to :data:`MAX_INPUT_CHARS` before matching: a bound on the work per message.

This module imports no Rasa, HTTP or Redis code; engines pass their rules in.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import re2

from bot.limits import MAX_MESSAGE_CHARS

#: The input cap for message text (one cap everywhere: :mod:`bot.limits`).
MAX_INPUT_CHARS = MAX_MESSAGE_CHARS
#: RE2 memory per compiled pattern; big alternations stay on the DFA (fast) under this bound.
MAX_MEM = 64 << 20
#: Plain patterns per RE2 alternation. The 239 distress guards in one alternation outgrew the DFA's
#: share of MAX_MEM and RE2 fell back to its slower engine: triage of a 1 KB ad 19 ms, 4 ms in
#: alternations of 100 (session 9; linear either way). Smaller alternations slow the offer check.
ALTERNATION_SIZE = 100
#: A pattern with a counted gap this wide or wider ("[^.!?]{0,80}") goes in alternations of
#: :data:`WIDE_ALTERNATION_SIZE`: a DFA tracks every position such a gap may have started at, so a
#: hundred of them together thrash its cache (masking the distress guards 3.6 -> 0.9 ms a labelled
#: message, session 12; the same decisions on 22,602 texts).
WIDE_GAP = 30
WIDE_ALTERNATION_SIZE = 4
#: Keys of a conditional pattern in content.
CONDITION_KEYS = ("match", "unless", "not_with")
#: Blank used for masked spans: a line break, so ``.`` and ``\\S`` cannot reach across.
MASK = "\n"

_APOSTROPHES = "'’‘`´ʼ"
_WIDE = re.compile(r"\{\d*,(\d*)\}")
_LOOKAROUND = re.compile(r"\(\?<?[=!]")
_BACKREF = re.compile(r"\\[1-9]|\(\?P=")


class PatternError(ValueError):
    """A content pattern RE2 cannot run; ``str()`` is the reason, for an editor to read."""


# --- folding ---------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _fold_table() -> dict[int, Any]:
    """Latin letters with accents to their ASCII base (one for one), apostrophes removed."""
    table: dict[int, Any] = {ord(c): None for c in _APOSTROPHES}
    for cp in list(range(0x00C0, 0x0250)) + list(range(0x1E00, 0x1F00)):
        base = unicodedata.normalize("NFD", chr(cp))[0]
        if base.isascii() and base.isalpha() and base != chr(cp):
            table[cp] = base
    table.update({ord("đ"): "d", ord("Đ"): "d", ord("ð"): "d", ord("ł"): "l", ord("ø"): "o"})
    return table


# A combining mark left after a Latin letter (no precomposed form exists): dropped like accents.
# Non-Latin marks (Thai vowels, Devanagari matras, Burmese medials) carry meaning and stay.
_LATIN_MARKS = re.compile("(?<=[a-z])[\u0300-\u036f]+")


def fold(text: str) -> str:
    """Fold already-normalised text (see :func:`bot.engines.text.normalize`) for matching."""
    if text.isascii():
        return text.translate(_fold_table()) if "'" in text or "`" in text else text
    text = text.translate(_fold_table())
    return _LATIN_MARKS.sub("", text) if _COMBINING.search(text) else text


_COMBINING = re.compile("[\u0300-\u036f]")
_APOSTROPHE = re.compile("[" + re.escape(_APOSTROPHES) + "]")


@lru_cache(maxsize=16)
def fold_offsets(text: str) -> tuple[int, ...]:
    """For each character of ``fold(text)``, its index in ``text`` (and ``len(text)`` last).
    Remembered for a few texts: the offer check and the place finder map the same ad back."""
    offsets: list[int] = []
    if _COMBINING.search(text):  # marks after a Latin letter are dropped: a character loop
        table, prev_latin = _fold_table(), False
        for i, ch in enumerate(text):
            mapped = table.get(ord(ch), ch)
            if mapped is not None and not ("\u0300" <= ch <= "\u036f" and prev_latin):
                prev_latin = "a" <= mapped <= "z"
                offsets.append(i)  # the table maps one character to one (or to nothing)
        return (*offsets, len(text))
    # Else fold drops only apostrophes: runs of indices between them, extended in C.
    start = 0
    for m in _APOSTROPHE.finditer(text):
        offsets.extend(range(start, m.start()))
        start = m.end()
    offsets.extend(range(start, len(text) + 1))
    return tuple(offsets)


def prepare_text(text: str) -> str:
    """Raw message text in the form patterns are matched against (capped, normalised, folded)."""
    from bot.engines.text import normalize  # lazy: keeps import time small for the CLI

    return fold(normalize(text[:MAX_INPUT_CHARS]))


# --- preparing patterns ----------------------------------------------------------------------

_TOKENS = re.compile(r"\\u[0-9a-fA-F]{4}|\\U[0-9a-fA-F]{8}|\\.|\[|\]|[^\\\[\]]+", re.DOTALL)
_WORD_CLASS = r"\pL\pN_"


def prepare(pattern: str) -> str:
    """A content pattern in the form texts take (NFKC, case folded, folded) and RE2's syntax.

    Raises :class:`PatternError` for constructs RE2 does not have (lookarounds, backreferences).
    """
    if not isinstance(pattern, str) or not pattern.strip():
        raise PatternError("must be a non-empty string")
    if _LOOKAROUND.search(pattern):
        raise PatternError("lookarounds such as (?! ), (?= ), (?<! ) are not supported (patterns "
                           "must run in linear time): write the pattern as {match: ..., unless: "
                           "...} or {match: ..., not_with: ...}")
    if _BACKREF.search(pattern):
        raise PatternError("backreferences such as \\1 are not supported")
    text = unicodedata.normalize("NFKC", pattern)
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    out: list[str] = []
    in_class = False
    for tok in _TOKENS.findall(text):
        if tok.startswith(("\\u", "\\U")) and len(tok) > 2:
            out.append("\\x{" + tok[2:].lstrip("0").lower().rjust(1, "0") + "}")
        elif tok == "\\w":
            out.append(_WORD_CLASS if in_class else f"[{_WORD_CLASS}]")
        elif tok == "\\W":
            if in_class:
                raise PatternError("\\W inside [...] is not supported: write [^...] instead")
            out.append(f"[^{_WORD_CLASS}]")
        elif tok == "\\Z":
            out.append("\\z")
        elif tok.startswith("\\"):
            out.append(tok)
        elif tok == "[":
            out.append(tok)
            in_class = True
        elif tok == "]":
            out.append(tok)
            in_class = False
        else:
            out.append(fold(tok.casefold()))
    return "".join(out)


def _options() -> re2.Options:
    options = re2.Options()
    options.max_mem = MAX_MEM
    options.log_errors = False
    return options


def compile_regex(prepared: str) -> Any:
    """Compile an already prepared pattern with RE2; :class:`PatternError` if it cannot."""
    try:
        return re2.compile(prepared, _options())
    except re2.error as exc:
        raise PatternError(f"does not compile: {exc}") from None


# --- compiled content patterns ---------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    """One content pattern: ``match``, optionally with ``unless`` spans and a ``not_with`` veto."""

    match: Any
    unless: Any = None
    not_with: Any = None

    def search(self, text: str) -> tuple[int, int] | None:
        """The first span of ``text`` where the rule holds, or None."""
        return next(self.spans(text), None)

    def spans(self, text: str) -> Iterator[tuple[int, int]]:
        """Every non-overlapping non-empty span where the rule holds, left to right.

        ``match`` is tried before ``unless`` is masked: most texts match no rule, and masking
        only ever removes matches, so this halves the cost of a conditional rule that misses.
        """
        if self.unless is not None:
            if self.match.search(text) is None:
                return
            if self.not_with is not None and self.not_with.search(text):
                return
            text = mask(text, self.unless)
        elif self.not_with is not None and self.not_with.search(text):
            return
        for m in self.match.finditer(text):
            if m.end() > m.start():
                yield m.start(), m.end()


def mask(text: str, regex: Any) -> str:
    """``text`` with every match of ``regex`` blanked out, keeping its length (offsets hold)."""
    return blank(text, ((m.start(), m.end()) for m in regex.finditer(text)))


def blank(text: str, spans: Iterable[tuple[int, int]]) -> str:
    """``text`` with ``spans`` blanked out, keeping its length (offsets hold)."""
    parts: list[str] = []
    last = 0
    for start, end in spans:
        if end > start:
            parts += (text[last:start], MASK * (end - start))
            last = end
    if not parts:
        return text
    parts.append(text[last:])
    return "".join(parts)


def _as_list(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        return value
    raise PatternError("must be a pattern or a non-empty list of patterns")


def _alternation(patterns: Iterable[str]) -> str:
    return "|".join(f"(?:{prepare(p)})" for p in patterns)


def split_item(item: Any) -> tuple[str, list[str], list[str]]:
    """(match, unless patterns, not_with patterns) of a content item; PatternError if malformed."""
    if isinstance(item, str):
        return item, [], []
    if not isinstance(item, Mapping):
        raise PatternError("must be a pattern or a mapping {match: ..., unless: ...}")
    unknown = set(item) - set(CONDITION_KEYS)
    if unknown or "match" not in item or len(item) < 2:
        raise PatternError(
            "a conditional pattern is a mapping with 'match' and 'unless' and/or 'not_with'"
        )
    match = item["match"]
    if not isinstance(match, str):
        raise PatternError("'match' must be a pattern")
    return match, _as_list(item.get("unless", [])) if "unless" in item else [], (
        _as_list(item["not_with"]) if "not_with" in item else []
    )


def compile_item(item: Any) -> Rule:
    """Compile one content item (a pattern string or a conditional mapping)."""
    match, unless, not_with = split_item(item)
    return Rule(
        compile_regex(prepare(match)),
        compile_regex(_alternation(unless)) if unless else None,
        compile_regex(_alternation(not_with)) if not_with else None,
    )


def item_patterns(item: Any) -> list[str]:
    """Every pattern string inside a content item (for validators)."""
    match, unless, not_with = split_item(item)
    return [match, *unless, *not_with]


def is_wide(pattern: str) -> bool:
    """True if ``pattern`` has a counted repetition up to :data:`WIDE_GAP` or more, or unbounded."""
    return any(not top or int(top) >= WIDE_GAP for top in _WIDE.findall(pattern))


def _chunks(items: list[Any], source: Any = str) -> Iterator[list[Any]]:
    """``items`` (patterns, or whose ``source`` is one) in alternations: the narrow ones by
    :data:`ALTERNATION_SIZE`, then the wide ones by :data:`WIDE_ALTERNATION_SIZE`, content order
    kept in each. On 22,602 texts either order gives the decisions of one alternation of 100;
    narrow first takes no signal from any cry (wide first took one, and some from films)."""
    narrow = [p for p in items if not is_wide(source(p))]
    wide = [p for p in items if is_wide(source(p))]
    for group, size in ((narrow, ALTERNATION_SIZE), (wide, WIDE_ALTERNATION_SIZE)):
        for i in range(0, len(group), size):
            yield group[i:i + size]


class PatternSet:
    """Content items tagged with keys; answers which keys match a text, and where first.

    Plain patterns of one key are joined into RE2 alternations of at most :data:`ALTERNATION_SIZE`
    patterns (one linear pass each; wide gaps by :data:`WIDE_ALTERNATION_SIZE`); conditional ones
    are searched one by one where their chunk's alternation of matches holds (session 16). Items
    are compiled when the set is built: a bad pattern fails at load time, not on a message."""

    def __init__(self, items: Iterable[tuple[str, Any]]) -> None:
        plain: dict[str, list[str]] = {}
        rules: list[tuple[str, tuple[str, Rule]]] = []  # (its match, (key, rule))
        for key, item in items:
            if isinstance(item, str):
                prepare(item)  # validate each pattern on its own, for a precise error
                plain.setdefault(key, []).append(item)
            else:
                rules.append((split_item(item)[0], (key, compile_item(item))))
        self.keys = tuple(dict.fromkeys([*plain, *(k for _, (k, _) in rules)]))
        self._plain = [(key, Rule(compile_regex(_alternation(chunk))))
                       for key, p in plain.items() for chunk in _chunks(p)]
        self._rules = [pair for _, pair in rules]
        # A rule is tried alone only where its chunk's matches hold (a 1 KB ad: 0.6 -> 0.1 ms).
        self._gates = [(compile_regex(_alternation(m for m, _ in chunk)), [r for _, r in chunk])
                       for chunk in _chunks(rules, source=lambda rule: rule[0])]

    def _hits(self, text: str, key: str | None = None) -> Iterator[tuple[str, Rule]]:
        """The (key, rule) pairs whose ``match`` finds something in ``text``, searched as UTF-8
        bytes: no offsets decoded (the signals' searches 1.8 -> 0.8 ms a labelled message, session
        12). Blanking only removes matches, so a rule whose ``match`` misses here cannot hold."""
        data = text.encode()
        yield from ((k, r) for k, r in self._plain
                    if (key is None or k == key) and r.match.search(data) is not None)
        for gate, chunk in self._gates:
            if gate.search(data) is not None:
                yield from ((k, r) for k, r in chunk
                            if (key is None or k == key) and r.match.search(data) is not None)

    def first_matches(self, text: str) -> dict[str, tuple[int, int]]:
        """Earliest non-empty match span of every key that matches somewhere in ``text``."""
        found: dict[str, tuple[int, int]] = {}
        for key, rule in self._hits(text):
            span = rule.search(text)
            if span is None or span[1] <= span[0]:
                continue
            old = found.get(key)
            if old is None or span[0] < old[0]:
                found[key] = span
        return found

    def any_match(self, text: str) -> bool:
        """True if some key matches somewhere in ``text`` (stops at the first rule that does)."""
        return any(rule.search(text) is not None for _, rule in self._hits(text))

    def first_match(self, key: str, text: str) -> tuple[int, int] | None:
        """Earliest span of ``key`` alone in ``text`` (a second look after a span is blanked)."""
        spans = [s for _, rule in self._hits(text, key)
                 for s in [rule.search(text)] if s is not None and s[1] > s[0]]
        return min(spans) if spans else None

    def matches(self, text: str) -> set[str]:
        """Keys that match somewhere in ``text``."""
        return set(self.first_matches(text))

    def mask(self, text: str) -> str:
        """``text`` with every pattern's spans blanked, in content order (guards, wishes)."""
        data = text.encode()  # conditional rules gated as in _hits (blanking only removes)
        gated = {id(r) for g, rules in self._gates if g.search(data) is not None for _, r in rules}
        for _, rule in (*self._plain, *(pair for pair in self._rules if id(pair[1]) in gated)):
            # searched again as the text changes when spans go
            spans = list(rule.spans(text)) if rule.match.search(data) is not None else []
            if spans:
                text = blank(text, spans)
                data = text.encode()
        return text


def checked_item(file: str, entry: str, field: str, item: Any) -> Any:
    """``item`` if it compiles; else :class:`bot.content.ContentError` naming file/entry/field."""
    from bot.content import ContentError

    try:
        compile_item(item)
    except PatternError as exc:
        raise ContentError(file, entry, field, str(exc)) from None
    return item


__all__ = ["MAX_INPUT_CHARS", "PatternError", "PatternSet", "Rule", "checked_item", "compile_item",
           "compile_regex", "fold", "fold_offsets", "is_wide", "item_patterns", "mask", "prepare",
           "prepare_text", "split_item"]
