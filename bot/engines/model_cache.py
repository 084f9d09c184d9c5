"""Fitted models cached on disk under ``models/``, keyed by a hash of their inputs.

Shared by the distress recogniser (:mod:`bot.engines.recogniser`) and the offer model
(:mod:`bot.engines.offer_model`). Decisions: a cache is written through a temporary file and a
rename, so a reader never sees half a model; an unreadable cache is refitted; only the newest
:data:`KEEP_CACHED` of a kind are kept (each content change leaves a new one, 6-70 MB).
No Rasa, HTTP or Redis import.
"""

from __future__ import annotations

import logging
import os
import pickle
from collections.abc import Callable
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)


def load_or_build(path: Path | None, build: Callable[[], Any], what: str) -> Any:
    """The pickled result of ``build`` at ``path`` if readable, else built and saved there.

    Writes through a temporary file and a rename, so a reader never sees half a model; an
    unreadable cache is rebuilt and a read-only directory only costs the next process a refit.
    """
    if path is not None and path.is_file():
        try:
            with path.open("rb") as handle:
                return pickle.load(handle)  # noqa: S301 - our own file
        except Exception:  # noqa: BLE001 - a broken cache is refitted
            log.warning("%s cache unreadable; refitting", what)
    built = build()
    if path is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f"{path.stem}.{os.getpid()}.tmp")  # one per fitting process
            with tmp.open("wb") as handle:
                pickle.dump(built, handle, pickle.HIGHEST_PROTOCOL)
            tmp.replace(path)
            _prune(path)
        except OSError:
            log.info("%s not cached (read-only directory)", what)
    return built


#: Fitted models of one kind kept on disk (each content change leaves a new one, 6-30 MB).
KEEP_CACHED = 3


def _prune(path: Path) -> None:
    """Delete all but the newest :data:`KEEP_CACHED` caches of ``path``'s kind."""
    kind = path.name.rsplit("-", 1)[0]
    try:  # another process may be pruning too
        caches = sorted(path.parent.glob(f"{kind}-*.pkl"), key=lambda p: p.stat().st_mtime)
        for old in caches[:-KEEP_CACHED]:
            old.unlink(missing_ok=True)
    except OSError:
        log.debug("pruning %s caches failed", kind, exc_info=True)
