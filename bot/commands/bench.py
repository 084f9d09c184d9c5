"""``python -m bot bench``: time the engines in process and print the machine they ran on."""

from __future__ import annotations

import argparse
import importlib
import itertools
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
#: A ~1 KB ordinary offer: the patterns find no high risk, so the learned model is asked too.
SAMPLE_ORDINARY_OFFER = (
    "Hiring: front desk agent at a four-star hotel in Chiang Mai, Thailand. Salary 15,000 THB per "
    "month plus service charge, social security and 6 days of paid leave in the first year. "
    "Requirements: Thai nationality, a bachelor's degree in hospitality or a related field, good "
    "English, at least one year of experience at a hotel front office, and a friendly manner with "
    "guests. Duties: check-in and check-out, reservations, answering guests' questions by phone "
    "and email, and working with housekeeping. Shifts of 8 hours, 5 days a week, including some "
    "weekends and holidays. Staff meals and uniforms are provided. Interviews at the hotel on "
    "Monday to Friday from 10:00 to 16:00; please bring your ID card, your CV and copies of your "
    "certificates. Apply by email to the hotel's human resources department or on JobThai. "
    "Successful applicants start with a 119-day probation and then sign a permanent contract."
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


def _numbered(text: str) -> Callable[[], str]:
    """``text`` with a new reference number each call: no whole-text cache answers twice
    (word-level caches still help, as they do with real ads that share most of their words)."""
    count = itertools.count()
    return lambda: f"{text} Ref. {next(count)}"


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


def _content_prefixes() -> list[str]:
    """Literal starts of every shipped pattern and place name (where backtracking would start)."""
    from bot.content import load_content_file
    from bot.engines.adversarial import literal_starts

    found: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)
        elif isinstance(node, str):
            found.append(node)

    for name in ("distress.yml", "indicators.yml", "faq.yml", "places.yml"):
        data = load_content_file(name, None)
        walk({k: v for k, v in data.items() if k in ("signals", "guards", "indicators", "topics",
                                                      "places", "code_words")})
    return literal_starts(found)


def whole_message(text: str) -> None:
    """Every engine a message can meet on its way through the router and the actions."""
    from bot.engines.amounts import extract_amounts
    from bot.engines.faq import match_topic
    from bot.engines.language import detect_language
    from bot.engines.redflags import check_offer, looks_like_job_offer
    from bot.engines.triage import triage

    language = detect_language(text).code
    triage(text, language)
    looks_like_job_offer(text)
    check_offer(text, language)
    match_topic(text, language)
    extract_amounts(text, language)


def run_adversarial(args: argparse.Namespace) -> int:
    """Worst whole-message time over generated attack inputs (each at the input cap)."""
    from bot.engines.adversarial import inputs
    from bot.engines.patterns import MAX_INPUT_CHARS

    print(f"machine: {platform.platform()} | CPU: {_cpu_model()} | "
          f"Python {sys.version.split()[0]} ({platform.python_implementation()})")
    whole_message("warm up: help me, 5000 baht, Myawaddy")
    cases = list(inputs(_content_prefixes()))
    worst: list[tuple[float, str]] = []
    for name, text in cases:
        samples = _time(lambda text=text: whole_message(text), args.adversarial_runs, 0)
        worst.append((max(samples), name))
    times = [t for t, _ in worst]
    worst.sort(reverse=True)
    print(f"adversarial inputs: {len(cases)} (each {MAX_INPUT_CHARS} characters at most), "
          f"whole message = language + triage + ad check + offer check + FAQ + amounts")
    print(f"whole message: median={statistics.median(times):.3f} ms "
          f"p90={statistics.quantiles(times, n=10)[-1]:.3f} ms max={worst[0][0]:.3f} ms")
    for ms, name in worst[:5]:
        print(f"  slowest: {ms:8.3f} ms  {name[:70]}")
    return 0


def run(args: argparse.Namespace) -> int:
    if args.ocr_scripts:
        from bot.commands.ocr_bench import run_script_choice

        print(f"machine: {platform.platform()} | CPU: {_cpu_model()}")
        return run_script_choice(args.ocr_scripts)
    if args.ocr:
        from bot.commands.ocr_bench import run_ocr

        print(f"machine: {platform.platform()} | CPU: {_cpu_model()}")
        return run_ocr(args)
    if args.adversarial:
        return run_adversarial(args)
    from bot.engines.redflags import check_offer

    print(f"machine: {platform.platform()} | CPU: {_cpu_model()} | "
          f"Python {sys.version.split()[0]} ({platform.python_implementation()})")
    print(f"offer size: {len(SAMPLE_OFFER.encode('utf-8'))} bytes")
    offer, ordinary, distress = (_numbered(SAMPLE_OFFER), _numbered(SAMPLE_ORDINARY_OFFER),
                                 _numbered(SAMPLE_DISTRESS))
    samples = _time(lambda: check_offer(offer()), args.runs, args.warmup)
    print(_report("check_offer (language detected)", samples))
    samples = _time(lambda: check_offer(offer(), "en"), args.runs, args.warmup)
    print(_report("check_offer (language given)", samples))
    samples = _time(lambda: check_offer(ordinary(), "en"), args.runs, args.warmup)
    print(_report("check_offer (ordinary ad, learned opinion asked, language given)", samples))
    try:
        triage = getattr(importlib.import_module("bot.engines.triage"), "triage", None)
    except ImportError:
        triage = None
    if callable(triage):
        samples = _time(lambda: triage(distress()), args.runs, args.warmup)
        print(_report("triage", samples))
    return 0


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("bench", help="time check_offer (and triage) in process")
    parser.add_argument("--runs", type=int, default=2000)
    parser.add_argument("--warmup", type=int, default=200)
    parser.add_argument("--adversarial", action="store_true",
                        help="worst whole-message time on generated attack inputs")
    parser.add_argument("--adversarial-runs", type=int, default=3,
                        help="timed runs per attack input (the maximum is reported)")
    parser.add_argument("--ocr", action="store_true",
                        help="time per picture and accuracy of OCR on rendered offers")
    parser.add_argument("--ocr-runs", type=int, default=3, help="reads per picture (--ocr)")
    parser.add_argument("--ocr-scripts", type=int, default=0, metavar="N",
                        help="script chosen without a hint, first N offers of th, lo, my and km "
                             "(the scripts the Thai pack confuses), rendered and degraded")
    parser.set_defaults(func=run)
