"""Loading of the content files in ``bot/content/`` with schema errors that name file, entry, field.

Every engine loads its data through :func:`load_content_file` and validates it with the helpers
here, so that campaign staff get one kind of error message whatever file they broke, and a running
process that fails to load a new version keeps the last good one (:class:`ContentCache`).
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

import yaml

log = logging.getLogger(__name__)

CONTENT_DIR = Path(os.environ.get("BOT_CONTENT_DIR", Path(__file__).parent / "content"))

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


def content_path(name: str) -> Path:
    return CONTENT_DIR / name


def load_content_file(name: str, directory: Path | None = None) -> Any:
    """Parse one YAML content file; syntax errors become :class:`ContentError`."""
    path = (directory or CONTENT_DIR) / name
    try:
        with open(path, encoding="utf-8") as handle:
            return yaml.load(handle, Loader=_Loader)
    except FileNotFoundError:
        raise ContentError(name, None, None, "file not found") from None
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


class ContentCache(Generic[T]):
    """Holds the last good result of ``loader``; reloads when the content files change.

    A failing reload is logged and the previous value kept, so a broken edit never takes a
    running bot down. The first load has nothing to fall back on and raises.
    """

    def __init__(self, loader: Callable[[], T], files: tuple[str, ...]) -> None:
        self._loader = loader
        self._files = files
        self._loaded: _Loaded[T] | None = None
        self._lock = threading.Lock()
        self.last_error: ContentError | None = None

    def _mtime(self) -> float:
        stamps = [content_path(f).stat().st_mtime for f in self._files if content_path(f).exists()]
        return max(stamps, default=0.0)

    def get(self) -> T:
        mtime = self._mtime()
        loaded = self._loaded
        if loaded is not None and loaded.mtime == mtime:
            return loaded.value
        with self._lock:
            if self._loaded is not None and self._loaded.mtime == mtime:
                return self._loaded.value
            try:
                value = self._loader()
            except ContentError as exc:
                self.last_error = exc
                if self._loaded is None:
                    raise
                log.error("content reload failed, keeping the last good version: %s", exc)
                self._loaded = _Loaded(self._loaded.value, mtime)
                return self._loaded.value
            self.last_error = None
            self._loaded = _Loaded(value, mtime)
            return value

    def reset(self) -> None:
        """Forget the cached value (tests, or after the content directory changed)."""
        with self._lock:
            self._loaded = None
