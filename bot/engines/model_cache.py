"""Fitted models cached on disk under ``models/``, keyed by a hash of their inputs.

Shared by the distress recogniser (:mod:`bot.engines.recogniser`) and the offer model
(:mod:`bot.engines.offer_model`). Decisions: a cache is written through a temporary file and a
rename, so a reader never sees half a model; an unreadable cache is refitted; only the newest
:data:`KEEP_CACHED` of a kind are kept (each content change leaves a new one, 8-110 MB).

Session 22: one process fits a kind at a time and the others load its cache, and the pipelines
of a fit run side by side in processes with one BLAS thread each. Two test workers or two action
servers used to fit the same model at once, each spinning both cores with BLAS threads that
bought no speed (the recogniser: 67 s alone, ~130 s twice at once; 41 s in two processes).
Risks, bounded: the lock (a file per kind beside the caches, ``flock``: the kernel releases it if
the holder dies) is waited on for at most :data:`LOCK_WAIT_SECONDS`, then this process fits
alone; it is per open file, so a builder must not ask for a cache of its own kind (none does);
a file system without ``flock`` (NFS without locking) or a read-only directory means no lock.
Each fitting process holds its rows and vocabulary (~0.5-1 GB for the recogniser), so at most
:data:`MAX_FIT_PROCESSES` run. No Rasa, HTTP or Redis import.
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
from typing import IO, Any

log = logging.getLogger(__name__)

#: Fitted models of one kind kept on disk (each content change leaves a new one, 8-110 MB).
KEEP_CACHED = 3
#: How long a process waits for another to finish fitting before it fits alone (a fit that
#: takes longer is stuck: waiting on it must not stall the caller).
LOCK_WAIT_SECONDS = 600.0
#: Fitting processes at most (each holds its rows and vocabulary; cores beyond two gain little).
MAX_FIT_PROCESSES = 3
_ONE_THREAD = {name: "1" for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")}
_MISSING = object()


def load_or_build(path: Path | None, build: Callable[[], Any], what: str) -> Any:
    """The pickled result of ``build`` at ``path`` if readable, else built and saved there.

    Writes through a temporary file and a rename, so a reader never sees half a model; an
    unreadable cache is rebuilt and a read-only directory only costs the next process a refit.
    While one process builds, the others wait for it and load what it saved.
    """
    if path is None:
        return build()
    found = _load(path, what)
    if found is _MISSING:
        with _building(path, what):
            found = _load(path, what)  # built by the process this one waited for
            if found is _MISSING:
                found = build()
                _save(path, found, what)
    return found


def in_processes(func: Callable[..., Any], jobs: Sequence[tuple[Any, ...]]) -> list[Any]:
    """``func(*job)`` of every job, in order: in up to :data:`MAX_FIT_PROCESSES` processes
    (``func`` and the jobs must pickle), each with one BLAS thread; in this process if they
    cannot start. ``func`` should itself limit BLAS to one thread, so that both paths give the
    same numbers (:func:`bot.engines.recogniser.fit_member` does)."""
    from joblib import cpu_count  # cgroup- and affinity-aware, unlike os.cpu_count

    workers = min(len(jobs), cpu_count(), MAX_FIT_PROCESSES)
    if workers > 1:
        # loky's processes (joblib's): fresh interpreters, not forks of a server that holds
        # threads and locks, and unlike multiprocessing's spawn they do not re-run the caller's
        # __main__. A pool of our own, shut down on leaving: no idle workers left behind, and no
        # other user of loky's shared pool disturbed.
        from joblib.externals.loky import ProcessPoolExecutor

        try:
            with ProcessPoolExecutor(max_workers=workers, env=_ONE_THREAD) as pool:
                return list(pool.map(func, *zip(*jobs, strict=True)))
        except (OSError, RuntimeError) as exc:  # no processes here (a limit, a nested worker)
            log.warning("fitting in one process: %s", exc)
    return [func(*job) for job in jobs]


def _load(path: Path, what: str) -> Any:
    if path.is_file():
        try:
            with path.open("rb") as handle:
                return pickle.load(handle)  # noqa: S301 - our own file
        except Exception:  # noqa: BLE001 - a broken cache is refitted
            log.warning("%s cache unreadable; refitting", what)
    return _MISSING


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
    """Holds the kind's lock file while the body runs, waiting at most LOCK_WAIT_SECONDS."""
    handle = _lock_file(path)
    if handle is None:
        yield
        return
    with handle:
        deadline = time.monotonic() + LOCK_WAIT_SECONDS
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:  # held by another process
                if time.monotonic() > deadline:
                    log.warning("%s: another process is still fitting; fitting alone", what)
                    break
                time.sleep(0.5)
            except OSError:  # no flock on this file system: fit without the lock
                break
        yield  # closing the file releases the lock


def _lock_file(path: Path) -> IO[str] | None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        return (path.parent / f"{_kind(path)}.lock").open("a")
    except OSError:  # a read-only directory: no cache will be written either
        return None


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
