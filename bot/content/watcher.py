"""The content watcher: follows the active content version in Redis and swaps it in.

Started explicitly, once per process (:func:`ensure_watcher`: the Rasa server and the action
server through :func:`bot.warmup.warm_up_engines`, and the commands that use content). It
subscribes to :data:`bot.content.EVENTS_CHANNEL` and polls :data:`bot.content.ACTIVE_KEY`; a new
version is written to a per-process directory (:func:`materialize`) and loaded with every
engine's loader (:func:`bot.content.load_all`) before it is activated. See :mod:`bot.content`.
"""

from __future__ import annotations

import atexit
import logging
import os
import shutil
import socket
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot import settings, storage
from bot.content import (
    ACTIVE_KEY,
    EVENTS_CHANNEL,
    STATUS_PREFIX,
    STATUS_TTL,
    ContentError,
    activate,
    current_source,
    load_all,
    use_shipped,
    version_key,
)

if TYPE_CHECKING:
    import redis

log = logging.getLogger(__name__)


def _run_root() -> Path:
    """Per-process directory for materialised versions (``.run/content/<host>-<pid>``)."""
    name = f"{socket.gethostname()}-{os.getpid()}"
    candidates = []
    if settings.is_set("BOT_RUN_DIR"):
        candidates.append(Path(settings.text("BOT_RUN_DIR")) / "content")
    candidates.append(Path(__file__).resolve().parents[2] / ".run" / "content")
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




def _default_client() -> redis.Redis:
    return storage.client("watch")  # a hung Redis must not hang the watcher forever


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
                        current_source().version or "shipped",
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
        current = current_source().version
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
            "version": str(current_source().version or 0),
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
        if not storage.configured() or settings.text("BOT_CONTENT_WATCH") == "0":
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
    poll = poll_seconds or settings.number("BOT_CONTENT_POLL_SECONDS")
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
