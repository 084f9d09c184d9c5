"""Checks of content files that their loaders do not make, for publishing (errors name file,
entry and field): every language present in user-facing texts, the same ``{placeholders}`` in
every language, no phone number outside hotlines, patterns that compile and do not match almost
any text, and the per-file checks named in :mod:`bot.content.registry` (hotlines, code words).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import string
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from bot import LANGUAGES
from bot.content import ContentError
from bot.engines import patterns


@dataclass(frozen=True)
class Options:
    """What the per-file checks may depend on."""

    max_age_months: int
    today: dt.date

#: Languages that may appear in user-facing texts without being required.
EXTRA_LANGUAGES: tuple[str, ...] = ("sw",)
#: Keys under which content files keep regular expressions.
PATTERN_KEYS = frozenset(
    {"patterns", "keywords", "guards", "context", "mitigations", "job_patterns"}
)
#: Top-level keys that hold a list of entries with ids, or a mapping of entry ids.
LIST_KEYS = frozenset({"indicators", "topics", "places", "hotlines", "campaigns", "combinations"})
MAPPING_KEYS = frozenset({"signals", "job_patterns", "typical"})
#: A pattern that matches any of these matches almost every message.
NEUTRAL_TEXTS: tuple[str, ...] = ("", "a", "hello", "ok", "hi", "thanks", "yes", "test 123")
FILE_NAME_RE = re.compile(r"[a-z0-9][a-z0-9_\-]*\.ya?ml")
_PHONE_IN_TEXT = re.compile(r"(?<![\w.])\+?\d[\d ()\-]{6,}\d(?![\w.])")



@dataclass
class Report:
    """Result of a validation: ``errors`` block publishing, ``warnings`` do not."""

    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def to_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "errors": list(self.errors), "warnings": list(self.warnings)}


class PublishError(ContentError):
    """Publishing or rolling back was refused; ``report`` says why."""

    def __init__(self, report: Report | str) -> None:
        if isinstance(report, str):
            report = Report(errors=[report])
        self.report = report
        count = len(report.errors)
        first = report.errors[0] if report.errors else "refused"
        more = f" (and {count - 1} more)" if count > 1 else ""
        super().__init__("content", None, None, f"not published: {first}{more}")




class Collector:
    """Errors/warnings as ContentError texts, without repeating one (file, entry, field)."""

    def __init__(self) -> None:
        self.report = Report()
        self._seen: set[tuple[str, str | None, str | None]] = set()

    def error(self, exc: ContentError) -> None:
        key = (exc.file, exc.entry, exc.field)
        if key in self._seen or any(
            f == exc.file and e == exc.entry and fl and exc.field and exc.field.startswith(fl)
            for f, e, fl in self._seen
        ):
            return
        self._seen.add(key)
        self.report.errors.append(str(exc))

    def warning(self, file: str, entry: str | None, fld: str | None, problem: str) -> None:
        self.report.warnings.append(str(ContentError(file, entry, fld, problem)))


def _walk(node: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], Any]]:
    yield path, node
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _walk(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _walk(value, (*path, index))


def _entry_and_field(data: Any, path: tuple[Any, ...]) -> tuple[str | None, str | None]:
    """Name the entry (its id where it has one) and the field path below it."""
    if not path:
        return None, None
    head = path[0]
    if len(path) >= 2 and head in LIST_KEYS and isinstance(path[1], int):
        item = data.get(head)[path[1]] if isinstance(data, dict) else None
        has_id = isinstance(item, dict) and item.get("id")
        entry = str(item["id"]) if has_id else f"#{path[1] + 1}"
        rest = path[2:]
    elif len(path) >= 2 and head in MAPPING_KEYS:
        entry, rest = str(path[1]), path[2:]
    else:
        entry, rest = str(head), path[1:]
    text = ""
    for part in rest:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return entry, text or None


def _placeholders(text: str) -> set[str] | None:
    try:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
    except ValueError:
        return None


def _ancestors(data: Any, path: tuple[Any, ...]) -> list[Any]:
    nodes, node = [data], data
    for part in path:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            break
        nodes.append(node)
    return nodes


def _required_languages(data: Any, path: tuple[Any, ...]) -> tuple[str, ...]:
    """All languages, or English plus the entry's audience when it has ``languages: [...]``
    (a campaign sent only to Burmese and Thai readers needs no Lao text)."""
    for node in reversed(_ancestors(data, path)):
        audience = node.get("languages") if isinstance(node, dict) else None
        if isinstance(audience, list) and audience:
            return tuple(lang for lang in LANGUAGES if lang == "en" or lang in audience)
    return LANGUAGES


def _missing_marks(data: Any, path: tuple[Any, ...], name: str) -> set[str]:
    """Languages marked ``missing:`` on the text's entry (a list, or {field: [languages]})."""
    marks: set[str] = set()
    for node in _ancestors(data, path):
        if isinstance(node, dict) and "missing" in node:
            value = node["missing"]
            if isinstance(value, list):
                marks |= {str(v) for v in value}
            elif isinstance(value, dict) and isinstance(value.get(name), list):
                marks |= {str(v) for v in value[name]}
    return marks


def _is_localized(node: Any) -> bool:
    allowed = set(LANGUAGES) | set(EXTRA_LANGUAGES)
    return (
        isinstance(node, dict)
        and "en" in node
        and len(node) >= 2
        and all(isinstance(k, str) and k in allowed for k in node)
        and all(isinstance(v, str) for v in node.values())
    )


def check_texts(file: str, data: Any, out: Collector) -> None:
    """Every language present (or marked missing), same placeholders, no phone numbers."""
    marked = 0
    for path, node in _walk(data):
        if not path or path[0] in PATTERN_KEYS or "patterns" in path or not _is_localized(node):
            continue
        name = str(path[-1])
        entry, fld = _entry_and_field(data, path)
        marks = _missing_marks(data, path[:-1], name)
        for lang in _required_languages(data, path[:-1]):
            text = node.get(lang)
            if isinstance(text, str) and text.strip():
                continue
            if lang in marks:
                marked += 1
                continue
            out.error(ContentError(file, entry, f"{fld}.{lang}",
                                   f"translation is missing (add it, or list {lang} under "
                                   "`missing:` in this entry)"))
        wanted = _placeholders(node["en"])
        for lang, text in node.items():
            found = _placeholders(text)
            if found is None:
                out.error(ContentError(file, entry, f"{fld}.{lang}",
                                       "has an unmatched { or }; write {{ or }} for a brace"))
            elif wanted is not None and found != wanted:
                out.error(ContentError(file, entry, f"{fld}.{lang}",
                                       f"placeholders {sorted(found)} differ from English "
                                       f"{sorted(wanted)}"))
            if _PHONE_IN_TEXT.search(text):
                out.warning(file, entry, f"{fld}.{lang}",
                            "contains what looks like a phone number; numbers belong in "
                            "hotlines.yml with a source and a verified_on date")
    if marked:
        out.warning(file, None, None, f"{marked} translation(s) marked missing")


@functools.lru_cache(maxsize=1)
def _neutral_prepared() -> tuple[tuple[str, str], ...]:
    return tuple((t, patterns.prepare_text(t)) for t in NEUTRAL_TEXTS)


@functools.lru_cache(maxsize=50_000)
def _neutral_match(pattern: str) -> tuple[str | None, str | None]:
    """(why RE2 refuses it, neutral text the pattern matches); cached, patterns rarely change."""
    try:
        regex = patterns.compile_regex(patterns.prepare(pattern))
    except patterns.PatternError as exc:
        return str(exc), None
    return None, next((raw for raw, text in _neutral_prepared() if regex.search(text)), None)


def check_patterns(file: str, data: Any, out: Collector) -> None:
    """Every pattern compiles and none matches (almost) every message."""
    for path, node in _walk(data):
        if not isinstance(node, str) or not path or not any(p in PATTERN_KEYS for p in path
                                                             if isinstance(p, str)):
            continue
        entry, fld = _entry_and_field(data, path)
        problem, hit = _neutral_match(node)
        if problem is not None:
            out.error(ContentError(file, entry, fld, f"pattern refused: {problem}"))
        elif hit is not None and path[-1] not in ("unless", "not_with"):
            out.error(ContentError(file, entry, fld,
                                   f"pattern {node!r} matches almost any text "
                                   f"(it matches {hit!r})"))


def check_code_words(file: str, data: Any, out: Collector, options: Options) -> None:
    """Code words must not be short or common words (they would open silent cases)."""
    words = data.get("code_words") if isinstance(data, dict) else None
    if not isinstance(words, list):
        return
    common = {t.casefold() for t in NEUTRAL_TEXTS}
    for i, word in enumerate(words):
        if isinstance(word, str) and (word.strip().casefold() in common or len(word.strip()) < 3):
            out.error(ContentError(file, "code_words", f"[{i}]",
                                   "too short or too common to be a discreet code word"))


def _months_between(earlier: dt.date, later: dt.date) -> int:
    months = (later.year - earlier.year) * 12 + later.month - earlier.month
    return months - (1 if later.day < earlier.day else 0)


def check_hotlines(file: str, data: Any, out: Collector, options: Options) -> None:
    """Numbers well formed, a source, a verified-on date not in the future nor too old."""
    max_age, today = options.max_age_months, options.today
    entries = data.get("hotlines") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        return
    for i, raw in enumerate(entries):
        if not isinstance(raw, dict):
            continue
        entry = str(raw.get("id") or f"#{i + 1}")
        number = raw.get("number")
        if isinstance(number, str):
            digits = sum(c.isdigit() for c in number)
            problem = None
            if "+" in number[1:]:
                problem = "'+' may only start the number"
            elif number.count("(") != number.count(")"):
                problem = "unbalanced parentheses"
            elif not 3 <= digits <= 15:
                problem = f"has {digits} digits; a phone number has 3 to 15"
            elif number.startswith("+") and digits < 6:
                problem = "an international number (+…) needs a country code and the number"
            elif re.search(r"[\s\-]{2,}|^[\s\-]|[\s\-]$", number):
                problem = "stray spaces or hyphens"
            if problem:
                out.error(ContentError(file, entry, "number", problem))
        source = raw.get("source")
        if not isinstance(source, str) or not source.strip():
            out.error(ContentError(file, entry, "source", "is missing (say where the number is "
                                                          "published)"))
        verified = raw.get("verified_on")
        if isinstance(verified, dt.datetime):
            verified = verified.date()
        if isinstance(verified, str):
            try:
                verified = dt.date.fromisoformat(verified)
            except ValueError:
                verified = None
        if not isinstance(verified, dt.date):
            out.error(ContentError(file, entry, "verified_on",
                                   "is missing or not an ISO date (YYYY-MM-DD)"))
            continue
        if verified > today + dt.timedelta(days=1):
            out.error(ContentError(file, entry, "verified_on", f"{verified} is in the future"))
        elif _months_between(verified, today) > max_age and raw.get("status") != "NOT_FOUND":
            out.warning(file, entry, "verified_on",
                        f"last verified {verified}, more than {max_age} months ago: "
                        "check the number again")
