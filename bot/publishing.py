"""Publishing content without a developer: validate, store numbered versions, roll back, audit.

The content files of ``bot/content/`` (YAML) are the one content format. Campaign staff (CLI
``python -m bot content …`` or the admin page, both on this API) publish a full set of files:

* :func:`validate_files` / :func:`validate_dir` run every engine's own loader on the set and add
  checks the loaders do not make (every language present in user-facing texts, same
  ``{placeholders}`` in every language, well-formed phone numbers, hotline sources and dates,
  no pattern that matches almost any text). Errors name file, entry and field.
* :func:`publish` refuses an invalid set (nothing is stored), else stores it as version *n*
  (hash ``safejobs:content:v:<n>``), makes it active, appends an audit entry and notifies every
  process (pub/sub), whose :class:`bot.content.ContentWatcher` loads and swaps it in.
* :func:`rollback` activates an earlier version (``0`` = the shipped files), audited likewise.

Every function takes an optional Redis client (tests); by default the Redis of
:func:`bot.redis_server.target_from_env`.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import hashlib
import importlib
import json
import re
import string
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot import LANGUAGES, patterns
from bot import content as _content
from bot.content import (
    ACTIVE_KEY,
    AUDIT_KEY,
    EVENTS_CHANNEL,
    STATUS_PREFIX,
    VERSION_COUNTER,
    ContentError,
    fetch_version,
    parse_content_text,
    redis_configured,
    version_key,
    version_meta_key,
)

if TYPE_CHECKING:
    import redis

#: (file, module, loader) of every engine; each loader takes ``directory``.
ENGINE_LOADERS: tuple[tuple[str, str, str], ...] = (
    ("indicators.yml", "bot.redflags", "load_rules"),
    ("salaries.yml", "bot.amounts", "load_salary_sense"),
    ("places.yml", "bot.places", "load_places"),
    ("faq.yml", "bot.faq", "load_faq"),
    ("hotlines.yml", "bot.hotlines", "load_hotlines"),
    ("distress.yml", "bot.triage", "load_distress"),
)
#: Optional content: checked by its loader when both the file and the module exist.
OPTIONAL_LOADERS: tuple[tuple[str, str, str], ...] = (
    ("campaigns.yml", "bot.campaigns", "load_campaigns"),
)
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
AUDIT_MAX = 10_000


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


# --- validation ----------------------------------------------------------------------------------


class _Collector:
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


def _check_texts(file: str, data: Any, out: _Collector) -> None:
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


def _check_patterns(file: str, data: Any, out: _Collector) -> None:
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


def _check_code_words(file: str, data: Any, out: _Collector) -> None:
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


def _check_hotlines(file: str, data: Any, out: _Collector, max_age: int, today: dt.date) -> None:
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


#: (loader function, file name, sha256 of the text) -> the ContentError it raised, or None.
#: A loader reads only its own file, so the same text gives the same outcome: repeated
#: validations (admin page, publish after validate, rollback) only rerun changed files.
_loader_outcomes: dict[tuple[Any, str, str], ContentError | None] = {}


def _run_loader(directory: Path, file: str, module: str, loader: str, out: _Collector) -> None:
    try:
        function = getattr(importlib.import_module(module), loader, None)
        if function is None or not _content._accepts_directory(function):
            out.warning(file, None, None, f"{module}.{loader}(directory) is not available: "
                        "only the generic checks were made")
            return
        path = directory / file
        digest = hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else ""
        key = (function, file, digest)
        if key in _loader_outcomes:
            if _loader_outcomes[key] is not None:
                out.error(_loader_outcomes[key])  # type: ignore[arg-type]
            return
        try:
            function(directory=directory)
            outcome = None
        except ContentError as exc:
            outcome = exc
        if digest:
            if len(_loader_outcomes) > 256:
                _loader_outcomes.clear()
            _loader_outcomes[key] = outcome
        if outcome is not None:
            out.error(outcome)
    except ModuleNotFoundError as exc:
        if exc.name != module:
            raise
    except Exception as exc:  # noqa: BLE001 - a loader bug is still a reason not to publish
        out.error(ContentError(file, None, None, f"loader failed: {type(exc).__name__}: {exc}"))


def validate_dir(
    directory: Path | str, max_age_months: int = 24, today: dt.date | None = None
) -> Report:
    """Validate the content files in ``directory`` (every engine's loader plus extra checks)."""
    directory = Path(directory)
    today = today or dt.datetime.now(dt.timezone.utc).date()
    out = _Collector()
    if not directory.is_dir():
        out.error(ContentError(str(directory), None, None, "is not a directory"))
        return out.report
    for file, module, loader in ENGINE_LOADERS:
        _run_loader(directory, file, module, loader, out)
    for file, module, loader in OPTIONAL_LOADERS:
        if (directory / file).exists():
            _run_loader(directory, file, module, loader, out)
    known = {f for f, _, _ in ENGINE_LOADERS + OPTIONAL_LOADERS}
    for path in sorted(directory.glob("*.y*ml")):
        name = path.name
        if name not in known:
            out.warning(name, None, None, "no engine reads this file")
        try:
            data = parse_content_text(name, path.read_text(encoding="utf-8"))
        except ContentError as exc:
            out.error(exc)
            continue
        except UnicodeDecodeError:
            out.error(ContentError(name, None, None, "is not UTF-8 text"))
            continue
        _check_texts(name, data, out)
        _check_patterns(name, data, out)
        if name == "distress.yml":
            _check_code_words(name, data, out)
        if name == "hotlines.yml":
            _check_hotlines(name, data, out, max_age_months, today)
    return out.report


def _check_names(files: dict[str, str]) -> None:
    for name, text in files.items():
        if not isinstance(name, str) or not FILE_NAME_RE.fullmatch(name):
            raise PublishError(f"{name!r}: not a content file name (lower-case, ending in .yml)")
        if not isinstance(text, str):
            raise PublishError(f"{name}: the file's content must be text")


def validate_files(files: dict[str, str], max_age_months: int = 24) -> Report:
    """Validate a set of content files given as ``{file name: YAML text}``."""
    try:
        _check_names(files)
    except PublishError as exc:
        return exc.report
    with tempfile.TemporaryDirectory(prefix="safejobs-validate-") as tmp:
        for name, text in files.items():
            (Path(tmp) / name).write_text(text, encoding="utf-8")
        return validate_dir(Path(tmp), max_age_months)


# --- versions in Redis ---------------------------------------------------------------------------


def _client(client: redis.Redis | None) -> redis.Redis:
    if client is not None:
        return client
    from bot.redis_server import target_from_env

    return target_from_env().client(socket_connect_timeout=3, socket_timeout=10)


def _str(value: Any) -> str:
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()


def read_dir(directory: Path | str) -> dict[str, str]:
    """``{file name: text}`` of the content files in ``directory``."""
    return {
        p.name: p.read_text(encoding="utf-8")
        for p in sorted(Path(directory).glob("*.y*ml"))
        if FILE_NAME_RE.fullmatch(p.name)
    }


def shipped_files() -> dict[str, str]:
    """The content files that come with the code (``bot/content/``)."""
    return read_dir(_content.CONTENT_DIR)


def active_version(client: redis.Redis | None = None) -> int | None:
    """The version every process should serve; None when the shipped files are in use."""
    if client is None and not redis_configured():
        return None
    raw = _client(client).get(ACTIVE_KEY)
    return int(raw) if raw not in (None, b"", "") else None


def current_files(client: redis.Redis | None = None) -> dict[str, str]:
    """The active version's texts, or the shipped files when no version is active."""
    if client is None and not redis_configured():
        return shipped_files()
    client = _client(client)
    version = active_version(client)
    if version is None:
        return shipped_files()
    return fetch_version(client, version)


def diff_summary(old: dict[str, str], new: dict[str, str]) -> list[dict[str, Any]]:
    """Per changed file: ``{"file", "change", "added", "removed"}`` (line counts)."""
    changes = []
    for name in sorted(set(old) | set(new)):
        before, after = old.get(name), new.get(name)
        if before == after:
            continue
        lines = difflib.unified_diff(
            (before or "").splitlines(), (after or "").splitlines(), lineterm="", n=0
        )
        added = removed = 0
        for line in lines:
            if line.startswith("+") and not line.startswith("+++"):
                added += 1
            elif line.startswith("-") and not line.startswith("---"):
                removed += 1
        change = "added" if before is None else "removed" if after is None else "changed"
        changes.append({"file": name, "change": change, "added": added, "removed": removed})
    return changes


def summary_text(changes: list[dict[str, Any]]) -> str:
    if not changes:
        return "no changes"
    return ", ".join(
        f"{c['file']} {c['change']} (+{c['added']} -{c['removed']})" for c in changes
    )


def _record(
    client: redis.Redis, action: str, version: int, previous: int | None, who: str, note: str,
    changes: list[dict[str, Any]], pipe: Any,
) -> dict[str, Any]:
    entry = {
        "when": _now(),
        "who": who,
        "action": action,
        "version": version,
        "previous": previous or 0,
        "note": note,
        "files": changes,
        "summary": summary_text(changes),
    }
    pipe.lpush(AUDIT_KEY, json.dumps(entry, ensure_ascii=False))
    pipe.ltrim(AUDIT_KEY, 0, AUDIT_MAX - 1)
    notice = {"action": action, "version": version, "previous": previous or 0, "who": who}
    pipe.publish(EVENTS_CHANNEL, json.dumps(notice, ensure_ascii=False))
    return entry


def _who(who: str) -> str:
    who = (who or "").strip()
    if not who:
        raise PublishError("say who is publishing (--who NAME)")
    return who


def publish(
    files: dict[str, str],
    who: str,
    note: str = "",
    client: redis.Redis | None = None,
    replace: bool = False,
    max_age_months: int = 24,
) -> int:
    """Validate and store ``files`` as a new active version; returns its number.

    Files not given are taken from the active version (the admin page may send only the file
    it edited); ``replace=True`` publishes exactly ``files`` (the CLI publishes a directory).
    Raises :class:`PublishError` (a ContentError) with the report when the set is invalid; then
    nothing is stored.
    """
    who = _who(who)
    client = _client(client)
    previous = active_version(client)
    old = current_files(client)
    merged = dict(files) if replace else {**old, **files}
    report = validate_files(merged, max_age_months)
    if not report.ok:
        raise PublishError(report)
    changes = diff_summary(old, merged)
    version = int(client.incr(VERSION_COUNTER))
    pipe = client.pipeline(transaction=True)
    pipe.hset(version_key(version), mapping=merged)
    meta = {"who": who, "when": _now(), "note": note, "summary": summary_text(changes)}
    pipe.hset(version_meta_key(version), mapping=meta)
    pipe.set(ACTIVE_KEY, version)
    _record(client, "publish", version, previous, who, note, changes, pipe)
    pipe.execute()
    return version


def versions(client: redis.Redis | None = None) -> list[dict[str, Any]]:
    """Stored versions, newest first: version, who, when, note, summary, files, active."""
    client = _client(client)
    last = int(client.get(VERSION_COUNTER) or 0)
    active = active_version(client)
    out = []
    for number in range(last, 0, -1):
        meta = {_str(k): _str(v) for k, v in client.hgetall(version_meta_key(number)).items()}
        if not meta:
            continue  # a number taken by a publish that did not complete
        names = sorted(_str(n) for n in client.hkeys(version_key(number)))
        out.append({"version": number, **meta, "files": names, "active": number == active})
    return out


def rollback(
    version: int | None, who: str, client: redis.Redis | None = None, note: str = ""
) -> int:
    """Activate an earlier stored version (default: the newest one before the active one;
    ``0`` = the shipped files). The version is validated again; returns the version activated.
    """
    who = _who(who)
    client = _client(client)
    active = active_version(client)
    if version is None:
        if active is None:
            raise PublishError("no published version is active: nothing to roll back")
        earlier = [v["version"] for v in versions(client) if v["version"] < active]
        version = max(earlier, default=0)
    if version < 0:
        raise PublishError(f"no version {version}")
    if version == active or (version == 0 and active is None):
        raise PublishError(f"version {version or 'shipped'} is already active")
    target = shipped_files() if version == 0 else fetch_version(client, version)
    if not target:
        raise PublishError(f"no version {version} is stored")
    report = validate_files(target)
    if not report.ok:
        raise PublishError(report)
    changes = diff_summary(current_files(client), target)
    pipe = client.pipeline(transaction=True)
    if version == 0:
        pipe.delete(ACTIVE_KEY)
    else:
        pipe.set(ACTIVE_KEY, version)
    _record(client, "rollback", version, active, who, note, changes, pipe)
    pipe.execute()
    return version


def history(limit: int = 100, client: redis.Redis | None = None) -> list[dict[str, Any]]:
    """Audit log entries, newest first: when, who, action, version, previous, note, files."""
    raw = _client(client).lrange(AUDIT_KEY, 0, max(0, limit - 1))
    return [json.loads(_str(item)) for item in raw]


def statuses(client: redis.Redis | None = None) -> list[dict[str, str]]:
    """What each running process serves: process, version (0 = shipped), ok, error, updated."""
    client = _client(client)
    out = []
    for key in sorted(client.scan_iter(match=f"{STATUS_PREFIX}*", count=100)):
        status = {_str(k): _str(v) for k, v in client.hgetall(key).items()}
        if status:
            out.append({"process": _str(key)[len(STATUS_PREFIX):], **status})
    return out
