"""``python -m bot offers-eval``: the job-offer check with its learned second opinion,
cross-validated by batch.

Each blind batch of labelled ads (``o<N>-`` ids in ``content/offer_examples.jsonl``) is held out
in turn: the offer model is fitted on every other example, and the whole check (patterns, then
the model's say) decides on the held-out batch; the patterns alone decide beside it. Caution:
the patterns were tuned on most released batches, so their column is in-sample there; the
batches measured before any tuning (README) are the clean figures of the patterns.

Writes ``results/offers_eval.json``; prints a table per batch and per language.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import re
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent.parent
BLIND = re.compile(r"^(o\d+)-")


def _flagged(check: Any) -> bool:
    return check.risk != "low"


def evaluate(
    examples: list[dict[str, Any]], raise_above: float | None = None,
    clear_below: float | None = None, raise_above_reassured: float | None = None,
) -> dict[str, Any]:
    """Per batch and language: risky ads found and ordinary ads left alone, both ways.

    ``raise_above_reassured`` overrides the content's threshold for reassured ads; a value <= 0
    turns that gate off (reassured ads need ``raise_above`` like any other).
    """
    from bot.engines.offer_model import model_of
    from bot.engines.redflags import check_offer, rules

    shipped = rules()
    above, below = shipped.learned or (1.0, 0.0)
    learned = (above if raise_above is None else raise_above,
               below if clear_below is None else clear_below)
    reassured = shipped.learned_reassured
    if raise_above_reassured is not None:
        reassured = raise_above_reassured if raise_above_reassured > 0 else None
    if reassured is not None and not learned[0] <= reassured <= 1:  # as the loader refuses
        raise ValueError("need raise_above <= raise_above_reassured <= 1")
    with_learned = dataclasses.replace(shipped, learned=learned, learned_reassured=reassured)
    patterns_only = dataclasses.replace(shipped, learned=None)
    batches = sorted({m.group(1) for e in examples if (m := BLIND.match(e.get("id") or ""))},
                     key=lambda b: int(b[1:]))
    counts: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0] * 6))
    for batch in batches:
        in_batch = [(e.get("id") or "").startswith(batch + "-") for e in examples]
        model = model_of([(e["text"], e["label"] == "risky")
                          for e, held in zip(examples, in_batch, strict=True) if not held])
        for e in (e for e, held in zip(examples, in_batch, strict=True) if held):
            risky = e["label"] == "risky"
            both = _flagged(check_offer(e["text"], e.get("lang"), with_learned, model))
            alone = _flagged(check_offer(e["text"], e.get("lang"), with_rules=patterns_only))
            for key in (batch, f"lang:{e.get('lang')}", "all"):
                row = counts[key]["risky" if risky else "ordinary"]
                row[0] += 1
                row[1] += both == risky
                row[2] += alone == risky
    return {key: {kind: {"n": r[0], "with_model": r[1], "patterns_only": r[2]}
                  for kind, r in value.items()} for key, value in counts.items()}


def table(result: dict[str, Any]) -> str:
    lines = ["| held out | risky found: patterns | risky found: with model | ordinary kept: "
             "patterns | ordinary kept: with model |", "|---|---|---|---|---|"]
    for key in sorted(result, key=lambda k: (k == "all", k.startswith("lang:"), k)):
        r, o = result[key].get("risky", {}), result[key].get("ordinary", {})
        lines.append(f"| {key} | {r.get('patterns_only', 0)}/{r.get('n', 0)} | "
                     f"{r.get('with_model', 0)}/{r.get('n', 0)} | {o.get('patterns_only', 0)}/"
                     f"{o.get('n', 0)} | {o.get('with_model', 0)}/{o.get('n', 0)} |")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    from bot.content import load_labelled_jsonl
    from bot.engines.offer_model import EXAMPLES_FILE

    examples = load_labelled_jsonl(EXAMPLES_FILE, ("risky", "ordinary"))
    result = evaluate(examples, args.raise_above, args.clear_below, args.raise_above_reassured)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(table(result))
    return 0


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "offers-eval", help="cross-validate the offer check's learned second opinion by batch"
    )
    parser.add_argument("--raise-above", type=float, default=None,
                        help="raise a low-risk ad at this probability (default: the content's)")
    parser.add_argument("--clear-below", type=float, default=None,
                        help="lower a medium-risk ad below this probability (default: content's)")
    parser.add_argument("--raise-above-reassured", type=float, default=None,
                        help="raise a reassured low-risk ad at this probability; 0 turns the "
                             "gate off (default: the content's)")
    parser.add_argument("--out", type=Path, default=ROOT / "results" / "offers_eval.json")
    parser.set_defaults(func=run)
