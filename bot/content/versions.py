"""Publishing content without a developer: validate, store numbered versions, roll back, audit.

The content files of ``content/`` (YAML) are the one content format. Campaign staff (CLI
``python -m bot content …`` or the admin page, both on this API) publish a full set of files:

* :mod:`bot.content.validate` runs every engine's own loader on the set and the checks of
  :mod:`bot.content.checks` (the loaders do not make them). Errors name file, entry and field.
* :func:`publish` refuses an invalid set (nothing is stored), else stores it as version *n*
  (hash ``safejobs:content:v:<n>``), makes it active, appends an audit entry and notifies every
  process (pub/sub), whose :class:`bot.content.watcher.ContentWatcher` loads and swaps it in.
* :func:`rollback` activates an earlier version (``0`` = the shipped files), audited likewise.

Every function takes an optional Redis client (tests); by default the Redis of
:func:`bot.redis_server.target_from_env`.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot import content as _content
from bot import storage
from bot.content import (
    ACTIVE_KEY,
    AUDIT_KEY,
    EVENTS_CHANNEL,
    STATUS_PREFIX,
    VERSION_COUNTER,
    version_key,
    version_meta_key,
)
from bot.content.checks import FILE_NAME_RE, PublishError
from bot.content.validate import validate_files
from bot.content.watcher import fetch_version

if TYPE_CHECKING:
    import redis

AUDIT_MAX = 10_000


# --- versions in Redis ---------------------------------------------------------------------------


def _client(client: redis.Redis | None) -> redis.Redis:
    if client is not None:
        return client
    return storage.client("staff")


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
    """The content files that come with the code (``content/``)."""
    return read_dir(_content.CONTENT_DIR)


def active_version(client: redis.Redis | None = None) -> int | None:
    """The version every process should serve; None when the shipped files are in use."""
    if client is None and not storage.configured():
        return None
    raw = _client(client).get(ACTIVE_KEY)
    return int(raw) if raw not in (None, b"", "") else None


def current_files(client: redis.Redis | None = None) -> dict[str, str]:
    """The active version's texts, or the shipped files when no version is active."""
    if client is None and not storage.configured():
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
