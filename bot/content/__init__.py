"""Loading the content files (top-level ``content/``) with schema errors naming file, entry, field.

Every engine loads its data through :func:`load_content_file` and validates it with the helpers
here, so that campaign staff get one kind of error message whatever file they broke, and a running
process that fails to load a new version keeps the last good one (:class:`ContentCache`).

Content source and hot reload: content published by campaign staff (``python -m bot content
publish``, :mod:`.versions`) is stored as numbered versions in Redis. When Redis is configured
(``REDIS_URL`` or ``REDIS_HOST``), a serving process starts one daemon thread
(:func:`bot.content.watcher.ensure_watcher`, called by :func:`bot.warmup.warm_up_engines` and the
commands that use content; a cache never starts one) that follows the active version (pub/sub on
:data:`EVENTS_CHANNEL`, plus a poll of :data:`ACTIVE_KEY` every few seconds). A new version is
written to a per-process directory and loaded with EVERY engine's loader into fresh objects; only
when all of them load is it swapped in (one new *generation* for all caches at once). Otherwise the
process keeps its last good version, logs the error (file, entry, field) and reports it in the
status hash ``safejobs:content:status:<host>-<pid>``. Redis being unreachable never stops a
process: it keeps serving the content it has.
"""

from __future__ import annotations

import importlib
import inspect
import json
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

import yaml

from bot import settings, storage
from bot.content.registry import BY_NAME, optional_modules, required_modules

log = logging.getLogger(__name__)

#: The shipped content files: the top-level ``content/`` folder (beside ``locales/`` and ``nlu/``).
CONTENT_DIR = settings.path("BOT_CONTENT_DIR", Path(__file__).resolve().parents[2] / "content")

# Redis keys shared with bot.content.versions (the writer side).
KEY_PREFIX = storage.key("content")
VERSION_COUNTER = f"{KEY_PREFIX}:version"  # INCR gives the next version number
ACTIVE_KEY = f"{KEY_PREFIX}:active"  # the version every process should serve (absent: shipped)
AUDIT_KEY = f"{KEY_PREFIX}:audit"  # list of JSON audit entries, newest first
EVENTS_CHANNEL = f"{KEY_PREFIX}:events"  # pub/sub: a JSON notice after every publish/rollback
STATUS_PREFIX = f"{KEY_PREFIX}:status:"  # + "<host>-<pid>": what each process serves
STATUS_TTL = 90  # seconds; refreshed by the watcher, so dead processes drop out

def version_key(version: int) -> str:
    """Redis hash holding the texts of one version: field = file name, value = YAML text."""
    return f"{KEY_PREFIX}:v:{version}"


def version_meta_key(version: int) -> str:
    """Redis hash with who/when/note of one version."""
    return f"{KEY_PREFIX}:v:{version}:meta"

try:  # the C loader is several times faster; fall back when libyaml is absent
    _Loader: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover
    _Loader = yaml.SafeLoader


class ContentError(ValueError):
    """A content file is malformed. ``str()`` names the file, the entry and the field."""

    def __init__(self, file: str, entry: str | None, field: str | None, problem: str) -> None:
        self.file, self.entry, self.field, self.problem = file, entry, field, problem
        where = file
        if entry is not None:
            where += f", entry {entry!r}"
        if field is not None:
            where += f", field {field!r}"
        super().__init__(f"{where}: {problem}")


# --- where content is read from ------------------------------------------------------------------


@dataclass(frozen=True)
class ContentSource:
    """What this process serves. ``directory`` None means the shipped files (``CONTENT_DIR``)."""

    generation: int
    version: int | None = None
    directory: Path | None = None


_source = ContentSource(0)
_swap_lock = threading.Lock()


def current_source() -> ContentSource:
    return _source


def content_dir() -> Path:
    """The directory loaders read by default: the active version's, else ``CONTENT_DIR``.

    ``CONTENT_DIR`` is read at call time so tests can point it elsewhere with monkeypatch.
    """
    return _source.directory or CONTENT_DIR


def content_path(name: str) -> Path:
    return content_dir() / name


def load_content_file(name: str, directory: Path | None = None) -> Any:
    """Parse one YAML content file; syntax errors become :class:`ContentError`."""
    path = (directory or content_dir()) / name
    try:
        with open(path, encoding="utf-8") as handle:
            return yaml.load(handle, Loader=_Loader)
    except FileNotFoundError:
        raise ContentError(name, None, None, "file not found") from None
    except yaml.YAMLError as exc:
        raise ContentError(name, None, None, f"not valid YAML: {exc}") from None


def load_labelled_jsonl(path: Path, labels: tuple[Any, ...]) -> list[dict[str, Any]]:
    """The rows of a labelled JSON-lines file (one object a line with a non-empty ``text`` and a
    ``label`` among ``labels``); errors name the file, the row (id, else line) and the field."""
    rows: list[dict[str, Any]] = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            where = f"line {number}"
            try:
                row = json.loads(line)
            except ValueError as exc:
                raise ContentError(path.name, where, None, f"is not JSON ({exc})") from None
            if not isinstance(row, dict):
                raise ContentError(path.name, where, None, "must be a JSON object")
            entry = str(row.get("id") or where)
            if not isinstance(row.get("text"), str) or not row["text"].strip():
                raise ContentError(path.name, entry, "text", "is missing")
            if row.get("label") not in labels or type(row.get("label")) is not type(labels[0]):
                raise ContentError(path.name, entry, "label",
                                   "must be " + " or ".join(json.dumps(v) for v in labels))
            rows.append(row)
    return rows


def parse_content_text(name: str, text: str) -> Any:
    """Parse the YAML text of one content file (admin page, publishing)."""
    try:
        return yaml.load(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        raise ContentError(name, None, None, f"not valid YAML: {exc}") from None


def require(
    file: str, entry: str | None, data: dict[str, Any], field: str, kind: type | tuple[type, ...]
) -> Any:
    """Return ``data[field]`` or raise a :class:`ContentError` saying what is missing or wrong."""
    if not isinstance(data, dict):
        raise ContentError(file, entry, None, "must be a mapping")
    if field not in data or data[field] is None:
        raise ContentError(file, entry, field, "is missing")
    value = data[field]
    if not isinstance(value, kind):
        names = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
        raise ContentError(file, entry, field, f"must be {names}, not {type(value).__name__}")
    return value


T = TypeVar("T")


@dataclass
class _Loaded(Generic[T]):
    value: T
    mtime: float
    generation: int = 0


def accepts_directory(loader: Callable[..., Any]) -> bool:
    try:
        return "directory" in inspect.signature(loader).parameters
    except (TypeError, ValueError):  # pragma: no cover - builtins
        return False


#: Every ContentCache ever created (they are module-level singletons of the engines).
_registry: list[ContentCache[Any]] = []


class ContentCache(Generic[T]):
    """Holds the last good result of ``loader``; reloads when the content changes.

    The content changes when its files' mtimes change (editing the shipped files) or when a new
    content version is swapped in (a new generation). A failing reload is logged and the
    previous value kept, so a broken edit never takes a running bot down. The first load has
    nothing to fall back on and raises.
    """

    def __init__(self, loader: Callable[..., T], files: tuple[str, ...]) -> None:
        self._loader = loader
        self._files = files
        self._takes_directory = accepts_directory(loader)
        self._loaded: _Loaded[T] | None = None
        self._lock = threading.Lock()
        self.last_error: ContentError | None = None
        _registry.append(self)

    @property
    def files(self) -> tuple[str, ...]:
        return self._files

    def _mtime(self, directory: Path | None = None) -> float:
        base = directory or content_dir()
        stamps = [(base / f).stat().st_mtime for f in self._files if (base / f).exists()]
        return max(stamps, default=0.0)

    def load(self, directory: Path | None = None) -> T:
        """A fresh value from ``directory`` (default: the current one), not cached."""
        if self._takes_directory:
            return self._loader(directory=directory)
        return self._loader()

    def get(self) -> T:
        """The cached value; starts no thread (the watcher is started explicitly)."""
        source = _source
        mtime = self._mtime(source.directory)
        loaded = self._loaded
        if loaded is not None and (
            (loaded.generation, loaded.mtime) == (source.generation, mtime)
            # installed by a swap that is still completing: newer than what we read, keep it
            or loaded.generation > source.generation
        ):
            return loaded.value
        with self._lock:
            loaded = self._loaded
            if loaded is not None and (loaded.generation, loaded.mtime) == (
                source.generation,
                mtime,
            ):
                return loaded.value
            try:
                value = self.load(source.directory)
            except ContentError as exc:
                self.last_error = exc
                if loaded is None:
                    raise
                log.error("content reload failed, keeping the last good version: %s", exc)
                self._loaded = _Loaded(loaded.value, mtime, source.generation)
                return loaded.value
            self.last_error = None
            self._loaded = _Loaded(value, mtime, source.generation)
            return value

    def _install(self, value: T, source: ContentSource) -> None:
        with self._lock:
            self._loaded = _Loaded(value, self._mtime(source.directory), source.generation)
            self.last_error = None

    def reset(self) -> None:
        """Forget the cached value (tests, or after the content directory changed)."""
        with self._lock:
            self._loaded = None


# --- loading a whole version ---------------------------------------------------------------------


def engine_caches() -> list[ContentCache[Any]]:
    """Every engine's cache; imports the engine modules so that none is left out."""
    for name in required_modules():
        importlib.import_module(name)
    for name in optional_modules():
        try:
            importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
    return list(_registry)


def load_all(directory: Path | None) -> dict[ContentCache[Any], Any]:
    """Load ``directory`` with every engine's loader into fresh objects.

    Raises :class:`ContentError` (naming file/entry/field) on the first failure; any other
    exception of a loader is turned into one naming the cache's files, so the caller can keep
    the last good version whatever went wrong.
    """
    values: dict[ContentCache[Any], Any] = {}
    base = directory or CONTENT_DIR
    for cache in engine_caches():
        if not cache._takes_directory:
            continue  # cannot be preloaded; reloads lazily on its next use
        rows = [BY_NAME.get(name) for name in cache.files]
        optional = all(row is not None and row.optional for row in rows)
        if optional and not any((base / f).exists() for f in cache.files):
            continue  # optional content (campaigns) absent from this version
        try:
            values[cache] = cache.load(directory)
        except ContentError:
            raise
        except Exception as exc:  # noqa: BLE001 - a buggy loader must not switch versions
            raise ContentError(
                ", ".join(cache.files), None, None, f"loader failed: {type(exc).__name__}: {exc}"
            ) from exc
    return values


def activate(version: int | None, directory: Path | None, values: dict[Any, Any]) -> ContentSource:
    """Swap in a loaded version: every cache gets its new value, then the new generation."""
    global _source
    with _swap_lock:
        new = ContentSource(_source.generation + 1, version, directory)
        for cache, value in values.items():
            cache._install(value, new)
        _source = new
    return new


def use_shipped() -> ContentSource:
    """Serve the shipped files again (tests; or when no version is active any more)."""
    return activate(None, None, {})
