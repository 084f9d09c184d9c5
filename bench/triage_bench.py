"""Triage cost of one checkout, to compare two commits in one run (README "Engines, in process").

`make bench` times one English cry; the distress rules grew with every language and script, so
this also times the 1 KB risky offer of `make bench` and every twentieth labelled message (ten
languages). It imports `bot` from the current directory, so the same file times any checkout:

    cd /path/to/checkout && /work/main/.venv/bin/python /path/to/bench/triage_bench.py

Alternate two checkouts, twice each, on a quiet machine; a benchmark, not a test.
"""

from __future__ import annotations

import itertools
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, os.getcwd())

from bot.commands.bench import SAMPLE_DISTRESS, SAMPLE_OFFER  # noqa: E402
from bot.engines.triage import triage  # noqa: E402


def cpu() -> str:
    for text in Path("/proc/cpuinfo").read_text().splitlines():
        if text.lower().startswith("model name"):
            return text.split(":", 1)[1].strip()
    return platform.processor() or "unknown CPU"


def numbered(text: str):
    """``text`` with a new reference number each call, so no whole-text cache answers."""
    count = itertools.count()
    return lambda: f"{text} Ref. {next(count)}"


def timed(func, runs: int, warmup: int) -> list[float]:
    for _ in range(warmup):
        func()
    samples = []
    for _ in range(runs):
        t0 = time.perf_counter()
        func()
        samples.append((time.perf_counter() - t0) * 1000.0)
    return samples


def line(name: str, samples: list[float]) -> str:
    q = statistics.quantiles(samples, n=10)
    return (f"{name}: runs={len(samples)} median={statistics.median(samples):.3f} ms "
            f"p10={q[0]:.3f} p90={q[-1]:.3f} ms")


def labelled_pass(texts: list[str]) -> float:
    """Mean milliseconds of one triage over ``texts``."""
    t0 = time.perf_counter()
    for text in texts:
        triage(text)
    return (time.perf_counter() - t0) * 1000.0 / len(texts)


def main() -> None:
    rows = Path("content/distress_examples.jsonl").read_text(encoding="utf-8").splitlines()
    # Every twentieth message of the file as it stood in session 12 (its first 11,152 rows), so
    # two checkouts time the same messages.
    texts = [json.loads(r)["text"] for r in rows[:11152:20]]
    print(f"{platform.platform()} | {cpu()} | Python {sys.version.split()[0]} | {os.getcwd()}")
    triage("warm up: help me, they took my passport")
    cry, offer = numbered(SAMPLE_DISTRESS), numbered(SAMPLE_OFFER)
    print(line("triage, the 150-character cry", timed(lambda: triage(cry()), 2000, 200)))
    print(line("triage, the 975-byte risky offer", timed(lambda: triage(offer()), 400, 40)))
    passes = [labelled_pass(texts) for _ in range(3)]
    print(f"triage, {len(texts)} labelled messages, mean per message, passes 1-3: "
          + " / ".join(f"{p:.2f}" for p in passes) + " ms")


if __name__ == "__main__":
    main()
