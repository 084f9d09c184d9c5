"""``python -m bot bench``: time the engines in process and print the machine they ran on."""

from __future__ import annotations

import argparse
import importlib
import platform
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

#: A ~1 KB offer in English with several red flags: a realistic worst case for the checker.
SAMPLE_OFFER = (
    "URGENT HIRING!!! Customer service and chat support staff needed for an online company in "
    "Bangkok, Thailand. Salary 45,000 THB per month plus commission and bonus, paid on time. "
    "No experience needed, just basic English and typing skills; fresh graduates welcome. "
    "Free air ticket, free visa, free accommodation and meals, all costs covered by the company. "
    "Travel on a tourist visa first; the work permit will be done after you arrive. Contract "
    "will be signed there. Salary advance available for new staff. Limited slots, depart this "
    "week. Please send a photo of your passport to start the process. Contact HR on Telegram "
    "@hr_asia_jobs or WhatsApp +66 81 234 5678. Working hours 8 hours a day, 6 days a week, "
    "modern office, friendly team, young environment, Chinese speakers get extra allowance. "
    "Interview by video call only. Our company will pick you up at the airport and bring you to "
    "the office. Many of our staff earn 60k or more after three months. Do not miss this chance!"
)
SAMPLE_DISTRESS = (
    "please help me, they took my passport and I cannot leave the compound in Myawaddy, they "
    "beat us if we do not reach the target, my family must pay 5000 dollars"
)


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            for line in handle:
                if line.lower().startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _time(func: Callable[[], Any], runs: int, warmup: int) -> list[float]:
    for _ in range(warmup):
        func()
    samples = []
    clock = time.perf_counter
    for _ in range(runs):
        t0 = clock()
        func()
        samples.append((clock() - t0) * 1000.0)
    return samples


def _report(name: str, samples: list[float]) -> str:
    q = statistics.quantiles(samples, n=10)
    return (
        f"{name}: runs={len(samples)} median={statistics.median(samples):.3f} ms "
        f"p10={q[0]:.3f} ms p90={q[-1]:.3f} ms stdev={statistics.pstdev(samples):.3f} ms"
    )


def run(args: argparse.Namespace) -> int:
    from bot.redflags import check_offer

    print(f"machine: {platform.platform()} | CPU: {_cpu_model()} | "
          f"Python {sys.version.split()[0]} ({platform.python_implementation()})")
    print(f"offer size: {len(SAMPLE_OFFER.encode('utf-8'))} bytes")
    samples = _time(lambda: check_offer(SAMPLE_OFFER), args.runs, args.warmup)
    print(_report("check_offer (language detected)", samples))
    samples = _time(lambda: check_offer(SAMPLE_OFFER, "en"), args.runs, args.warmup)
    print(_report("check_offer (language given)", samples))
    try:
        triage = getattr(importlib.import_module("bot.triage"), "triage", None)
    except ImportError:
        triage = None
    if callable(triage):
        samples = _time(lambda: triage(SAMPLE_DISTRESS), args.runs, args.warmup)
        print(_report("triage", samples))
    return 0


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("bench", help="time check_offer (and triage) in process")
    parser.add_argument("--runs", type=int, default=2000)
    parser.add_argument("--warmup", type=int, default=200)
    parser.set_defaults(func=run)
