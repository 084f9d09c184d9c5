"""``python -m bot bench --ocr``: time and accuracy of reading offer pictures, per language.

The pictures are rendered here (:mod:`bot.engines.ocr_samples`) from the first risky offer of each
language in ``tests/data/offers.jsonl`` (or a built-in English one), clean and degraded.
Accuracy: characters recovered (similarity without whitespace) and red flags recovered.
"""

from __future__ import annotations

import difflib
import json
import statistics
from pathlib import Path
from typing import Any

from bot import LANGUAGES

OFFERS_FILE = Path(__file__).resolve().parents[2] / "tests" / "data" / "offers.jsonl"


def sample_offers() -> dict[str, str]:
    from bot.commands.bench import SAMPLE_OFFER

    found: dict[str, str] = {}
    if OFFERS_FILE.exists():
        for line in OFFERS_FILE.read_text("utf-8").splitlines():
            row = json.loads(line)
            if row.get("label") == "risky":
                found.setdefault(row["lang"], row["text"])
    return found or {"en": SAMPLE_OFFER[:300]}


def similarity(expected: str, read: str) -> float:
    a, b = "".join(expected.split()), "".join(read.split())
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def run_ocr(args: Any) -> int:
    from bot.engines.ocr import read_image, tesseract_available
    from bot.engines.ocr_samples import degrade, encode, fonts_available, render
    from bot.engines.redflags import check_offer

    if not tesseract_available() or not fonts_available(LANGUAGES):
        print("bench --ocr: tesseract or the Noto fonts are missing (run 'make ocr-deps' as root)")
        return 1
    times: dict[str, list[float]] = {"clean": [], "degraded": [], "no hint": []}
    print(f"{'lang':5} {'picture':9} {'hint':5} {'pack':8} {'chars':>6} {'flags':>6} {'ms':>7}")
    for language, text in sample_offers().items():
        wanted = {f.id for f in check_offer(text, language).flags}
        picture = render(text, language)
        cases = [("clean", encode(picture), language), ("degraded", degrade(picture), language),
                 ("no hint", encode(picture), None)]  # fmt: skip
        for kind, data, hint in cases:
            runs = [read_image(data, hint) for _ in range(args.ocr_runs)]
            times[kind] += [r.seconds * 1000 for r in runs]
            read = runs[0]
            got = {f.id for f in check_offer(read.text, language).flags}
            flags = f"{len(wanted & got)}/{len(wanted)}"
            print(f"{language:5} {kind:9} {hint or '-':5} {read.pack or '-':8} "
                  f"{similarity(text, read.text):6.2f} {flags:>6} "
                  f"{statistics.median(r.seconds * 1000 for r in runs):7.0f}")
    for kind, samples in times.items():
        q = statistics.quantiles(samples, n=10) if len(samples) > 1 else samples * 9
        print(f"time per picture ({kind}): runs={len(samples)} "
              f"median={statistics.median(samples):.0f} ms p10={q[0]:.0f} ms "
              f"p90={q[-1]:.0f} ms stdev={statistics.pstdev(samples):.0f} ms")
    return 0


#: Scripts the Thai pack reads with high confidence, and Thai itself (the guard).
CONFUSED_LANGUAGES = ("th", "lo", "my", "km")


def run_script_choice(count: int) -> int:
    """Per script: how many of ``count`` offers, rendered and degraded, no hint, get their pack."""
    from bot.engines.ocr import LANGUAGE_PACKS, read_image, tesseract_available
    from bot.engines.ocr_samples import degrade, encode, fonts_available, render

    if not tesseract_available() or not fonts_available(CONFUSED_LANGUAGES):
        print("bench --ocr-scripts: tesseract or the Noto fonts are missing (make ocr-deps)")
        return 1
    texts: dict[str, list[str]] = {}
    for line in OFFERS_FILE.read_text("utf-8").splitlines():
        row = json.loads(line)
        texts.setdefault(row["lang"], []).append(row["text"])
    for language in CONFUSED_LANGUAGES:
        wanted = LANGUAGE_PACKS[language]
        for kind in ("rendered", "degraded"):
            packs: dict[str, int] = {}
            for text in texts.get(language, [])[:count]:
                picture = render(text, language)
                data = encode(picture) if kind == "rendered" else degrade(picture)
                pack = read_image(data).pack or "-"
                packs[pack] = packs.get(pack, 0) + 1
            print(f"{language} {kind}: {packs.get(wanted, 0)}/{sum(packs.values())} read with "
                  f"{wanted} (packs: {packs})", flush=True)
    return 0
