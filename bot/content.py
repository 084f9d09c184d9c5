"""Loading of the content files in ``bot/content/`` with schema errors that name file, entry, field.

Every engine loads its data through :func:`load_content_file` and validates it with the helpers
here, so that campaign staff get one kind of error message whatever file they broke, and a running
process that fails to load a new version keeps the last good one (:class:`ContentCache`).

Content source and hot reload: content published by campaign staff (``python -m bot content
publish``, :mod:`bot.publishing`) is stored as numbered versions in Redis. When Redis is configured
(``REDIS_URL`` or ``REDIS_HOST``), the first use of any engine starts one daemon thread per process
(:class:`ContentWatcher`) that follows the active version (pub/sub on :data:`EVENTS_CHANNEL`, plus
a poll of :data:`ACTIVE_KEY` every few seconds). A new version is written to a per-process
directory and loaded with EVERY engine's loader into fresh objects; only when all of them load is
it swapped in (one new *generation* for all caches at once). Otherwise the process keeps its last
good version, logs the error (file, entry, field) and reports it in the status hash
``safejobs:content:status:<host>-<pid>``. Redis being unreachable never stops a process: it keeps
serving the content it has.
"""

from __future__ import annotations

import atexit
import importlib
import inspect
import logging
import os
import shutil
import socket
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import yaml

if TYPE_CHECKING:  # redis is imported lazily: processes without Redis never pay for it
    import redis

log = logging.getLogger(__name__)

CONTENT_DIR = Path(os.environ.get("BOT_CONTENT_DIR", Path(__file__).parent / "content"))

# Redis keys shared with bot.publishing (the writer side).
KEY_PREFIX = "safejobs:content"
VERSION_COUNTER = f"{KEY_PREFIX}:version"  # INCR gives the next version number
ACTIVE_KEY = f"{KEY_PREFIX}:active"  # the version every process should serve (absent: shipped)
AUDIT_KEY = f"{KEY_PREFIX}:audit"  # list of JSON audit entries, newest first
EVENTS_CHANNEL = f"{KEY_PREFIX}:events"  # pub/sub: a JSON notice after every publish/rollback
STATUS_PREFIX = f"{KEY_PREFIX}:status:"  # + "<host>-<pid>": what each process serves
STATUS_TTL = 90  # seconds; refreshed by the watcher, so dead processes drop out

#: Modules whose ContentCache must load a version before it is activated in a process.
#: ``bot.campaigns`` is optional (built separately); a missing optional module is skipped.
ENGINE_MODULES: tuple[str, ...] = (
    "bot.amounts",
    "bot.places",
    "bot.redflags",
    "bot.triage",
    "bot.hotlines",
    "bot.faq",
)
OPTIONAL_ENGINE_MODULES: tuple[str, ...] = ("bot.campaigns",)


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


def _accepts_directory(loader: Callable[..., Any]) -> bool:
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
        self._takes_directory = _accepts_directory(loader)
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
        ensure_watcher()
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
    for name in ENGINE_MODULES:
        importlib.import_module(name)
    for name in OPTIONAL_ENGINE_MODULES:
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
        optional = getattr(cache._loader, "__module__", "") not in ENGINE_MODULES
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


def _run_root() -> Path:
    """Per-process directory for materialised versions (``.run/content/<host>-<pid>``)."""
    name = f"{socket.gethostname()}-{os.getpid()}"
    candidates = []
    if os.environ.get("BOT_RUN_DIR"):
        candidates.append(Path(os.environ["BOT_RUN_DIR"]) / "content")
    candidates.append(Path(__file__).resolve().parent.parent / ".run" / "content")
    candidates.append(Path(tempfile.gettempdir()) / "safejobs-content")
    for base in candidates:
        try:
            (base / name).mkdir(parents=True, exist_ok=True)
        except OSError:
            continue
        _prune_dead(base)
        return base / name
    return Path(tempfile.mkdtemp(prefix="safejobs-content-"))


def _prune_dead(base: Path) -> None:
    """Remove the directories of this host's processes that are gone (killed, crashed)."""
    host = socket.gethostname()
    for path in base.glob(f"{host}-*"):
        pid = path.name.rsplit("-", 1)[-1]
        if not pid.isdigit() or int(pid) == os.getpid():
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            shutil.rmtree(path, ignore_errors=True)
        except OSError:  # alive but not ours (EPERM)
            pass


def materialize(version: int, files: dict[str, str], root: Path | None = None) -> Path:
    """Write one version's texts to ``<root>/v<version>/`` and return that directory."""
    root = root or _run_root()
    target = root / f"v{version}"
    staging = Path(tempfile.mkdtemp(prefix=f".v{version}-", dir=root))
    for name, text in files.items():
        if Path(name).name != name or not name.endswith((".yml", ".yaml")):
            raise ContentError(name, None, None, "not a content file name")
        (staging / name).write_text(text, encoding="utf-8")
    shutil.rmtree(target, ignore_errors=True)
    staging.rename(target)
    return target


# --- the watcher ---------------------------------------------------------------------------------


def redis_configured() -> bool:
    """True when this process was given a Redis (the stack sets REDIS_HOST for its children)."""
    return bool(os.environ.get("REDIS_URL", "").strip() or os.environ.get("REDIS_HOST", "").strip())


def _default_client() -> redis.Redis:
    from bot.redis_server import target_from_env

    # Bounded timeouts: a hung Redis must not hang the watcher forever.
    return target_from_env().client(socket_connect_timeout=3, socket_timeout=30)


def _text(value: Any) -> str:
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)


def fetch_version(client: redis.Redis, version: int) -> dict[str, str]:
    """The file texts of a stored version (empty when it does not exist)."""
    raw = client.hgetall(version_key(version))
    return {_text(k): _text(v) for k, v in raw.items()}


class ContentWatcher(threading.Thread):
    """Follows the active content version in Redis and swaps it in (see module docstring)."""

    def __init__(
        self,
        client_factory: Callable[[], redis.Redis] = _default_client,
        poll_seconds: float = 3.0,
    ) -> None:
        super().__init__(name="content-watcher", daemon=True)
        self._client_factory = client_factory
        self.poll_seconds = poll_seconds
        self.synced = threading.Event()  # set after the first sync attempt (success or not)
        self.changed = threading.Condition()  # notified after every sync that changed something
        self._stop_event = threading.Event()
        self.failed_version: int | None = None
        self.last_error: str | None = None
        self.status_key = f"{STATUS_PREFIX}{socket.gethostname()}-{os.getpid()}"
        self._root: Path | None = None
        self._last_status = 0.0
        self._outage_logged = False
        self._loaded_once = False  # this watcher has materialised the version it serves

    # -- public -----------------------------------------------------------------------------
    def stop(self, timeout: float = 5.0) -> None:
        self._stop_event.set()
        if self.is_alive() and threading.current_thread() is not self:
            self.join(timeout)

    def wait_for(self, predicate: Callable[[], bool], timeout: float) -> bool:
        """Wait until ``predicate()`` holds after a sync (tests, CLI)."""
        deadline = time.monotonic() + timeout
        with self.changed:
            while not predicate():
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self.changed.wait(min(remaining, 0.2))
        return True

    # -- loop -------------------------------------------------------------------------------
    def run(self) -> None:
        import redis

        backoff = 1.0
        while not self._stop_event.is_set():
            pubsub = None
            try:
                client = self._client_factory()
                pubsub = client.pubsub(ignore_subscribe_messages=True)
                pubsub.subscribe(EVENTS_CHANNEL)
                if self._outage_logged:
                    log.warning("content watcher: Redis reachable again")
                self._outage_logged = False
                backoff = 1.0
                while not self._stop_event.is_set():
                    self.sync(client)
                    # Wakes at once on a publish notice; the timeout is the polling fallback.
                    pubsub.get_message(timeout=self.poll_seconds)
            except redis.RedisError as exc:
                if not self._outage_logged:
                    log.warning(
                        "content watcher: Redis unreachable (%s); serving content version %s",
                        type(exc).__name__,
                        _source.version or "shipped",
                    )
                    self._outage_logged = True
            except Exception:  # noqa: BLE001 - the watcher must survive anything
                log.exception("content watcher failed; retrying")
            finally:
                self.synced.set()  # never keep a first request waiting for an unreachable Redis
                if pubsub is not None:
                    try:
                        pubsub.close()
                    except Exception:  # noqa: BLE001
                        pass
            self._stop_event.wait(backoff)
            backoff = min(backoff * 2, 30.0)

    def sync(self, client: redis.Redis) -> bool:
        """Bring this process to the active version; True when something changed."""
        raw = client.get(ACTIVE_KEY)
        wanted = int(raw) if raw not in (None, b"", "") else None
        current = _source.version
        if current is not None and not self._loaded_once:
            current = -1  # inherited from a parent process (fork): load it into our own dir
        if wanted == current or (wanted is not None and wanted == self.failed_version):
            recovered = wanted == current and self.failed_version is not None
            if recovered:  # e.g. rolled back to the version this process kept serving
                self.failed_version = self.last_error = None
            self.synced.set()
            self._report(client, force=recovered)
            return False
        try:
            if wanted is None:
                directory = None
            else:
                files = fetch_version(client, wanted)
                if not files:
                    raise ContentError(version_key(wanted), None, None, "version not found")
                self._root = self._root or _run_root()
                directory = materialize(wanted, files, self._root)
            values = load_all(directory)
        except ContentError as exc:
            self.failed_version, self.last_error = wanted, str(exc)
            log.error(
                "content version %s NOT activated, keeping version %s: %s",
                wanted,
                current or "shipped",
                exc,
            )
            self._report(client, force=True)
            self._notify()
            return False
        activate(wanted, directory, values)
        self._loaded_once = True
        self.failed_version = self.last_error = None
        log.info("content version %s activated", wanted or "shipped")
        self._cleanup(keep={directory})
        self._report(client, force=True)
        self._notify()
        return True

    # -- helpers ----------------------------------------------------------------------------
    def _notify(self) -> None:
        self.synced.set()
        with self.changed:
            self.changed.notify_all()

    def _report(self, client: redis.Redis, force: bool) -> None:
        """Write this process's status hash (at most every STATUS_TTL/3 s unless ``force``)."""
        now = time.time()
        if not force and now - self._last_status < STATUS_TTL / 3:
            return
        self._last_status = now
        status = {
            "version": str(_source.version or 0),
            "ok": "0" if self.failed_version is not None or self.last_error else "1",
            "error": self.last_error or "",
            "wanted": "" if self.failed_version is None else str(self.failed_version),
            "updated": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(now)),
        }
        pipe = client.pipeline()
        pipe.hset(self.status_key, mapping=status)
        pipe.expire(self.status_key, STATUS_TTL)
        pipe.execute()

    def _cleanup(self, keep: set[Path | None]) -> None:
        """Remove materialised versions other than the current and the previous one."""
        if self._root is None:
            return
        dirs = sorted(
            (p for p in self._root.glob("v*") if p.is_dir() and p not in keep),
            key=lambda p: p.stat().st_mtime,
        )
        for old in dirs[:-1]:  # the previous one may still be read by a request in flight
            shutil.rmtree(old, ignore_errors=True)


_watcher: ContentWatcher | None = None
_watcher_lock = threading.Lock()
_watch_checked = False
_watch_pid = os.getpid()  # a forked child has no watcher thread: it must start its own


def ensure_watcher(initial_wait: float = 3.0) -> None:
    """Start the watcher on the first use of any engine, only when Redis is configured.

    The first caller waits (at most ``initial_wait`` s) for the first sync, so a restarted
    server answers its first message with the published content, not the shipped files.
    """
    global _watch_checked, _watch_pid
    if _watch_checked and _watch_pid == os.getpid():
        return
    with _watcher_lock:
        if _watch_checked and _watch_pid == os.getpid():
            return
        _watch_checked, _watch_pid = True, os.getpid()
        if not redis_configured() or os.environ.get("BOT_CONTENT_WATCH", "1") == "0":
            return
        watcher = start_watcher()
    watcher.synced.wait(initial_wait)


def start_watcher(
    client_factory: Callable[[], redis.Redis] = _default_client, poll_seconds: float | None = None
) -> ContentWatcher:
    """Start (or restart) this process's watcher; tests pass their own client factory."""
    global _watcher, _watch_checked, _watch_pid
    if _watcher is not None and _watch_pid == os.getpid():
        _watcher.stop()
    poll = poll_seconds or float(os.environ.get("BOT_CONTENT_POLL_SECONDS", "3"))
    _watcher = ContentWatcher(client_factory, poll)
    _watch_checked, _watch_pid = True, os.getpid()
    _watcher.start()
    return _watcher


def stop_watcher(back_to_shipped: bool = True) -> None:
    """Stop the watcher (tests); by default serve the shipped files again."""
    global _watcher
    if _watcher is not None:
        _watcher.stop()
        if _watcher._root is not None:
            shutil.rmtree(_watcher._root, ignore_errors=True)
        _watcher = None
    if back_to_shipped:
        use_shipped()


def watcher() -> ContentWatcher | None:
    return _watcher


@atexit.register
def _remove_materialized() -> None:
    if _watcher is not None and _watcher._root is not None:
        shutil.rmtree(_watcher._root, ignore_errors=True)
