"""Fitted models cached on disk under ``models/``, keyed by a hash of their inputs.

Shared by the distress recogniser (:mod:`bot.engines.recogniser`) and the offer model
(:mod:`bot.engines.offer_model`). Decisions: a cache is written through a temporary file and a
rename, so a reader never sees half a model; an unreadable cache is refitted; only the newest
:data:`KEEP_CACHED` of a kind are kept (each content change leaves a new one, 6-70 MB).
Session 22: one process fits a kind at a time (a lock file beside the caches) and the others load
its cache, and the pipelines of a fit run in a process each with one BLAS thread: two test
workers or two action servers used to fit the same model side by side, each spinning both cores
(the recogniser: ~67 s alone, ~130 s twice at once; ~35 s in two processes).
No Rasa, HTTP or Redis import.
"""

from __future__ import annotations

import fcntl
import logging
import os
import pickle
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

#: Fitted models of one kind kept on disk (each content change leaves a new one, 6-70 MB).
KEEP_CACHED = 3
#: How long a process waits for another to finish fitting before it fits alone (a fit that
#: takes longer is stuck: waiting on it must not stall the caller).
LOCK_WAIT_SECONDS = 600.0


def load_or_build(path: Path | None, build: Callable[[], Any], what: str) -> Any:
    """The pickled result of ``build`` at ``path`` if readable, else built and saved there.

    Writes through a temporary file and a rename, so a reader never sees half a model; an
    unreadable cache is rebuilt and a read-only directory only costs the next process a refit.
    While one process builds, the others wait for it and load what it saved.
    """
    if path is None:
        return build()
    found = _load(path, what)
    if found is None:
        with _building(path, what):
            found = _load(path, what)  # built by the process this one waited for
            if found is None:
                found = build()
                _save(path, found, what)
    return found


def in_processes(func: Callable[..., Any], jobs: Sequence[tuple[Any, ...]]) -> list[Any]:
    """``func(*job)`` of every job, in order: in up to one process per core (``func`` and the
    jobs must pickle), each with one BLAS thread; in this process if that fails."""
    from threadpoolctl import threadpool_limits

    workers = min(len(jobs), os.cpu_count() or 1)
    if workers > 1:
        # joblib's loky processes: fresh interpreters (not forks of a server holding threads and
        # locks) that, unlike multiprocessing's spawn, do not re-run the caller's __main__
        from joblib import Parallel, delayed, parallel_config
        from joblib.externals.loky import get_reusable_executor

        try:
            with parallel_config(backend="loky", inner_max_num_threads=1):
                return Parallel(n_jobs=workers)(delayed(func)(*job) for job in jobs)
        except (OSError, RuntimeError) as exc:  # no processes here: fit in this one
            log.warning("fitting in one process: %s", type(exc).__name__)
        finally:
            get_reusable_executor().shutdown(wait=True)  # no idle workers left behind
    with threadpool_limits(1):  # more BLAS threads only spun (measured: same time, 2x the CPU)
        return [func(*job) for job in jobs]


def _load(path: Path, what: str) -> Any:
    if path.is_file():
        try:
            with path.open("rb") as handle:
                return pickle.load(handle)  # noqa: S301 - our own file
        except Exception:  # noqa: BLE001 - a broken cache is refitted
            log.warning("%s cache unreadable; refitting", what)
    return None


def _save(path: Path, built: Any, what: str) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.stem}.{os.getpid()}.tmp")  # one per fitting process
        with tmp.open("wb") as handle:
            pickle.dump(built, handle, pickle.HIGHEST_PROTOCOL)
        tmp.replace(path)
        _prune(path)
    except OSError:
        log.info("%s not cached (read-only directory)", what)


@contextmanager
def _building(path: Path, what: str) -> Iterator[None]:
    """Holds the kind's lock file while the body runs, waiting at most LOCK_WAIT_SECONDS; the
    kernel releases it if the holder dies. Without a writable directory, no lock."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = (path.parent / f"{_kind(path)}.lock").open("a")
    except OSError:
        yield
        return
    with handle:
        deadline = time.monotonic() + LOCK_WAIT_SECONDS
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError:
                if time.monotonic() > deadline:
                    log.warning("%s: another process is still fitting; fitting alone", what)
                    break
                time.sleep(0.5)
        yield  # closing the file releases the lock


def _kind(path: Path) -> str:
    return path.name.rsplit("-", 1)[0]


def _prune(path: Path) -> None:
    """Delete all but the newest :data:`KEEP_CACHED` caches of ``path``'s kind."""
    kind = _kind(path)
    try:  # another process may be pruning too
        caches = sorted(path.parent.glob(f"{kind}-*.pkl"), key=lambda p: p.stat().st_mtime)
        for old in caches[:-KEEP_CACHED]:
            old.unlink(missing_ok=True)
    except OSError:
        log.debug("pruning %s caches failed", kind, exc_info=True)
