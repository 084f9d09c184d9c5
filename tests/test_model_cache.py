"""Fitted models cached on disk: pruning, one fitting process at a time, fits in processes
(and here when processes cannot start)."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import numpy
import pytest

from bot.engines import model_cache
from bot.engines.distress_training import fit_stages
from bot.engines.model_cache import KEEP_CACHED, load_or_build
from bot.engines.recogniser import fit, fit_second


def test_a_new_cache_prunes_all_but_the_newest_of_its_kind(tmp_path: Path) -> None:
    import os

    for i in range(5):
        old = tmp_path / f"offer-model-old{i}.pkl"
        old.write_bytes(b"x")
        os.utime(old, (1000 + i, 1000 + i))
    other = tmp_path / "distress-recogniser-keep.pkl"
    other.write_bytes(b"x")
    assert load_or_build(tmp_path / "offer-model-new.pkl", lambda: 42, "test") == 42
    left = sorted(p.name for p in tmp_path.glob("offer-model-*.pkl"))
    assert len(left) == KEEP_CACHED and "offer-model-new.pkl" in left
    assert other.exists()  # another kind is left alone
    assert load_or_build(tmp_path / "offer-model-new.pkl", lambda: 0, "test") == 42  # cached


def test_a_second_process_waits_for_the_first_fit_and_loads_it(tmp_path: Path) -> None:
    """Two fits of one model at once (two test workers, two action servers): one builds, the
    other waits for its cache instead of fitting the same model beside it."""
    built: list[int] = []

    def slow_build() -> int:
        built.append(1)
        time.sleep(0.5)
        return 7

    path = tmp_path / "distress-recogniser-abc.pkl"
    found: list[int] = []
    threads = [threading.Thread(target=lambda: found.append(load_or_build(path, slow_build, "t")))
               for _ in range(2)]  # a lock file opened twice: flock excludes them as processes
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert found == [7, 7] and built == [1]


def test_a_stuck_fit_elsewhere_only_delays_this_one(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """A holder of the lock that never finishes costs a bounded wait, then this process fits."""
    import fcntl

    monkeypatch.setattr(model_cache, "LOCK_WAIT_SECONDS", 0.3)
    with (tmp_path / "offer-model.lock").open("a") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        started = time.monotonic()
        assert load_or_build(tmp_path / "offer-model-x.pkl", lambda: 3, "t") == 3
        assert time.monotonic() - started < 5


def test_stages_fitted_in_processes_score_as_fitted_one_by_one() -> None:
    """fit_stages (pipelines in parallel processes, one BLAS thread each) gives the models the
    stages fitted in this process give; a stage with one label is None, as fit_second's."""
    cries = ["they beat me every night", "boss took my passport", "i cannot leave the building",
             "no food for two days", "help they lock the door", "they will sell me tonight"]
    others = ["how much is the visa fee", "thanks for the info", "traffic is killing me lol",
              "good morning", "trapped in a meeting haha", "what time is it in bangkok"]
    rows = [(t, True) for t in cries] + [(t, False) for t in others]
    first, second, empty = fit_stages(rows, 8.0, rows, [(t, True) for t in cries])
    assert empty is None and fit_second([(t, True) for t in cries]) is None
    texts = cries + others + ["they took my phone", "hello"]
    for parallel, alone in ((first, fit(rows, 8.0)), (second, fit_second(rows))):
        assert numpy.allclose(parallel.predict_proba(texts), alone.predict_proba(texts),
                              rtol=0, atol=1e-12)  # one BLAS thread in both: the same numbers


def test_without_processes_the_jobs_run_here(monkeypatch: pytest.MonkeyPatch) -> None:
    """A host that cannot start processes (a limit, a sandbox) still gets every result, in
    order: a model fitted more slowly, never the patterns alone."""
    from joblib.externals import loky

    def refuse(*args: object, **kwargs: object) -> None:
        raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(loky, "ProcessPoolExecutor", refuse)
    assert model_cache.in_processes(pow, [(2, 3), (3, 2), (5, 1)]) == [8, 9, 5]
