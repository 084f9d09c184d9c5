"""``python -m bot triage-eval``: the distress recogniser, cross-validated by batch.

Each batch of labelled messages (written at one time, by one writer, for one purpose) is held
out in turn: the recogniser is trained on every other batch and on the NLU examples, then the
whole triage decision (model, threshold, emergency signals, code words) is taken on the held-out
batch. A random split would put sentences of one writer on both sides and flatter the figures;
a batch left out is the closest thing to wording never seen. The NLU examples (ordinary
traffic: questions, thanks, small talk, job ads) are held out a fifth at a time.

Writes ``results/triage_eval.json`` and ``results/triage_eval.md``; fails (exit 1) when the
recall or specificity over all held-out batches falls below ``--min-recall`` /
``--min-specificity`` (regression floors for CI).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent.parent
NLU_FOLDS = 5
#: Batch ids of the labelled messages (the part of an id before its language and number).
BATCHES = ("h", "d", "b", "b2", "b3", "b4", "b5", "b7", "b8", "b9", "b10", "cc", "cc2", "cc3",
           "cc4", "b12", "b13", "cc5", "b14", "b15", "b16", "b17", "b18", "b19", "b20", "b21",
           "sb", "b22", "b23", "b24", "sp", "b25", "b26", "sp2", "b27", "b28", "sp3",
           "b29", "b30", "sp4", "b31", "b32", "sp5", "b33", "b34", "sp6", "b35", "b36", "sp7",
           "wp1", "b37", "b38", "sp8", "wp2", "wd", "wd2", "b39", "b40",
           "sp9", "wp3", "b41", "b42", "sp10", "wp4", "rd1", "rd2", "rd3", "rd4", "rd5",
           "b43", "b44", "sp11", "rp1", "rd6", "rd7", "rd8", "rd9", "rd10", "rd11", "rd12",
           "rd13", "rd14", "rd15", "b45", "b46", "rp2", "b47", "b48")


def batch_of(example_id: str) -> str:
    """The batch an example belongs to, from its id (``b3-th-07`` -> ``b3``, ``h123`` -> ``h``)."""
    head = re.sub(r"[-_]?\d+$", "", example_id).split("-")[0]
    return head if head in BATCHES else "misc"


def kind_of(example: dict[str, Any]) -> str:
    from bot.engines.recogniser import is_close_call

    if example["label"]:
        return "distress"
    if is_close_call(example):
        return "close_call"
    return "ordinary" if example.get("family") else "negative"


def _decide(content: Any, model: Any, texts: list[str]) -> list[Any]:
    """The triage result of each text with ``model`` in place of the shipped recogniser."""
    from dataclasses import replace
    from unittest import mock

    from bot.engines import distress_content, triage

    swapped = replace(content, recogniser=model)
    with mock.patch.object(distress_content, "content", lambda: swapped):
        return [triage.triage(text) for text in texts]


def fold_models(train: list[dict[str, Any]], prepared: dict[int, Any], ad_stage: bool,
                ordinary_stage: bool = False, severity_stage: bool = False,
                developed: Sequence[Any] = (), close_call_weight: float = 1.0,
                lexicon: Any = None) -> Any:
    """The stages fitted on one fold's training messages, as the shipped model is
    (:func:`bot.engines.distress_training.fitted_recogniser`): first, second, ad, ordinary and
    severity stage (the last three None when their setting is off), and the concept stage (None
    without ``lexicon``). ``developed``: the development sets' (message, model text) pairs, which
    the first (at ``DEVELOPMENT_WEIGHT``), severity and concept stages learn in every fold (read
    once a run)."""
    from bot.engines import distress_training as training
    from bot.engines.recogniser import fit, fit_second

    # The stages' row builders of the shipped model, on the fold's (message, model text) pairs.
    messages = [(e, prepared[id(e)][0]) for e in train]
    learned = [*messages, *developed]
    second_rows = training.second_rows(messages)
    # The ad stage: the second stage's rows, then the NLU job ads of the same folds.
    ad_rows = second_rows + [prepared[id(e)][:2] for e in train
                             if e.get("intent") in training.AD_INTENTS]
    # The first stage: the prepared rows carry the content's close-call weight.
    first = fit([prepared[id(e)] for e in train if e.get("intent") != training.AD_STAGE_ONLY]
                + training.development_rows(developed, close_call_weight))
    return (first, fit_second(second_rows), fit_second(ad_rows) if ad_stage else None,
            fit_second(training.ordinary_rows(messages)) if ordinary_stage else None,
            fit_second(training.severity_rows(learned)) if severity_stage else None,
            training.fit_concepts(training.concept_rows(learned), lexicon)
            if lexicon is not None else None)


def grouped_folds(sizes: dict[str, int], groups: int) -> dict[str, str]:
    """The fold of each batch when whole batches are grouped into ``groups`` folds: the largest
    first (ties in the given order), each to the smallest fold so far (0: every batch its own
    fold)."""
    if groups <= 0:
        return {name: name for name in sizes}
    totals = [0] * groups
    fold_of: dict[str, str] = {}
    for name in sorted(sizes, key=lambda n: -sizes[n]):  # stable: ties keep the given order
        smallest = totals.index(min(totals))
        totals[smallest] += sizes[name]
        fold_of[name] = f"fold{smallest}"
    return fold_of


def evaluate(
    threshold: float | None = None,
    with_signal: float | None = None,
    close_call_weight: float | None = None,
    veto_below: float | None = None,
    groups: int = 0,
    **settings: Any,
) -> dict[str, Any]:
    """Hold out each batch in turn (or, with ``groups``, whole batches grouped into that many
    folds: 10 fits instead of ~95, each on ~90 % of the data); counts per batch, language and
    kind."""
    from bot.engines import distress_training as training
    from bot.engines.distress_content import content as shipped
    from bot.engines.recogniser import Recogniser

    content = shipped()
    from dataclasses import replace

    if threshold is not None:
        content = replace(content, threshold=threshold)
    if with_signal is not None:
        content = replace(content, with_signal=with_signal)
    if close_call_weight is not None:
        content = replace(content, close_call_weight=close_call_weight)
    if veto_below is not None:
        content = replace(content, veto_below=veto_below)
    # ad_veto_below: as given, else the content's.
    content = replace(content, **{k: v for k, v in settings.items() if v is not None})
    examples = training.read_examples()
    nlu = [{"id": f"nlu{i}", "label": intent == training.DISTRESS_INTENT, "text": text,
            "lang": "", "family": "" if intent == training.DISTRESS_INTENT else "ordinary",
            "intent": intent}
           for i, (intent, text) in enumerate(training.nlu_examples())]
    weight = content.close_call_weight
    prepared = {id(e): training.example_row(e, weight) for e in examples + nlu}
    batches = defaultdict(list)
    for e in examples:
        batches[batch_of(e["id"])].append(e)
    # The NLU examples are ordinary traffic of every kind; held out all at once, the model would
    # never have seen a short "no" or "bye", so they are held out a fifth at a time.
    for i, e in enumerate(nlu):
        batches[f"nlu{i % NLU_FOLDS}"].append(e)
    fold_of = grouped_folds({name: len(items) for name, items in batches.items()}, groups)
    folds = defaultdict(list)
    for name, items in batches.items():
        folds[fold_of[name]].extend(items)
    # the development sets, read once: the first, severity and concept stages learn them
    developed = training.development_messages()
    lexicon = training.read_concepts() if content.concept_above else None
    counts: dict[str, Counter] = defaultdict(Counter)
    errors: list[dict[str, Any]] = []  # ids and confidences only, never a text
    for held, test in sorted(folds.items()):
        train = [e for b, items in folds.items() if b != held for e in items]
        stages = fold_models(train, prepared, bool(content.ad_veto_below),
                             bool(content.ordinary_veto_below), bool(content.emergency_above),
                             developed, weight, lexicon)
        model = Recogniser(stages[0], held, *stages[1:])
        decisions = _decide(content, model, [e["text"] for e in test])
        for e, result in zip(test, decisions, strict=True):
            got, kind = result.distress, kind_of(e)
            if got != bool(e["label"]) and e["lang"]:
                errors.append({"id": e["id"], "kind": kind, "confidence":
                               round(result.confidence, 3), "signals": result.signals})
            outcome = ("tp" if got else "fn") if e["label"] else ("fp" if got else "tn")
            batch = batch_of(e["id"]) if e["lang"] else "nlu"
            keys = [f"batch:{batch}", f"lang:{e['lang'] or '-'}", f"kind:{kind}", "all"]
            if e["lang"]:
                keys += [f"{batch}:{e['lang']}", f"kind:{kind}:{e['lang']}"]
            for key in keys:
                counts[key][outcome] += 1
                if e.get("emergency"):
                    counts[key]["em_" + outcome] += 1
                    counts[key]["em_severity"] += result.severity == "emergency"
                if result.check_in:  # not distress, but the contacts and a question
                    counts[key]["ci_" + outcome] += 1
        print(f"held out {held}: {len(test)} messages", file=sys.stderr)
    return {"threshold": content.threshold, "with_signal": content.with_signal,
            "close_call_weight": content.close_call_weight, "veto_below": content.veto_below,
            "ad_veto_below": content.ad_veto_below,
            "ordinary_veto_below": content.ordinary_veto_below,
            "emergency_veto_below": content.emergency_veto_below,
            "emergency_veto_signals": sorted(content.emergency_veto_signals),
            "check_in_below": content.check_in_below,
            "emergency_above": content.emergency_above,
            "counts": {k: dict(v) for k, v in counts.items()}, "errors": errors}


def _ratio(good: int, bad: int) -> str:
    return f"{good / (good + bad):.3f} ({good}/{good + bad})" if good + bad else "—"


def table(report: dict[str, Any]) -> str:
    """The report as a Markdown table: recall, specificity, emergency recall, check-ins (on cries
    missed / on the rest) per row."""
    lines = ["| held out / group | recall | specificity | emergency recall | emergency severity |"
             " check-ins |", "|---|---|---|---|---|---|"]
    order = ("batch", "all", "kind", "lang")
    for key in sorted(report["counts"], key=lambda k: (order.index(k.split(":")[0])
                                                      if k.split(":")[0] in order else 9, k)):
        c = report["counts"][key]
        emergencies = c.get("em_tp", 0) + c.get("em_fn", 0)
        lines.append(f"| {key} | {_ratio(c.get('tp', 0), c.get('fn', 0))} | "
                     f"{_ratio(c.get('tn', 0), c.get('fp', 0))} | "
                     f"{_ratio(c.get('em_tp', 0), c.get('em_fn', 0))} | "
                     f"{_ratio(c.get('em_severity', 0), emergencies - c.get('em_severity', 0))} | "
                     f"{c.get('ci_fn', 0)} / {c.get('ci_tn', 0)} |")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    report = evaluate(args.threshold, args.with_signal, args.close_call_weight, args.veto_below,
                      ad_veto_below=args.ad_veto_below,
                      emergency_veto_below=args.emergency_veto_below,
                      ordinary_veto_below=args.ordinary_veto_below, groups=args.groups)
    out = ROOT / "results"
    out.mkdir(exist_ok=True)
    (out / "triage_eval.json").write_text(json.dumps(report, indent=2), encoding="utf-8")
    md = (f"Distress recogniser, cross-validated by batch (threshold {report['threshold']}, "
          f"{report['with_signal']} with a pattern signal; close calls weigh "
          f"{report['close_call_weight']} in training; second stage vetoes below "
          f"{report['veto_below']}; the ad stage vetoes a pasted ad below "
          f"{report['ad_veto_below']}; the ordinary stage vetoes a distress no signal called "
          f"below {report['ordinary_veto_below']}; an emergency signal in a message with "
          f"{report['emergency_veto_signals']} is outvoted below "
          f"{report['emergency_veto_below']}; a wish to die both stages score below "
          f"{report['check_in_below']} gets a check-in, counted as no distress).\n\n"
          + table(report) + "\n")
    (out / "triage_eval.md").write_text(md, encoding="utf-8")
    print(md)
    total = report["counts"]["all"]
    recall = total.get("tp", 0) / max(1, total.get("tp", 0) + total.get("fn", 0))
    specificity = total.get("tn", 0) / max(1, total.get("tn", 0) + total.get("fp", 0))
    if recall < args.min_recall or specificity < args.min_specificity:
        print(f"below the floors: recall {recall:.3f} (min {args.min_recall}), specificity "
              f"{specificity:.3f} (min {args.min_specificity})", file=sys.stderr)
        return 1
    return 0


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "triage-eval", help="cross-validate the distress recogniser by batch (held-out figures)"
    )
    parser.add_argument("--threshold", type=float, default=None,
                        help="decision threshold to evaluate (default: the content's)")
    parser.add_argument("--with-signal", type=float, default=None,
                        help="threshold when the patterns call it distress (default: content's)")
    parser.add_argument("--close-call-weight", type=float, default=None,
                        help="training weight of a labelled close call (default: content's)")
    parser.add_argument("--veto-below", type=float, default=None,
                        help="second-stage veto threshold, 0 = off (default: content's)")
    parser.add_argument("--ad-veto-below", type=float, default=None,
                        help="ad-stage veto for a pasted ad, 0 = off (default: content's)")
    parser.add_argument("--ordinary-veto-below", type=float, default=None,
                        help="ordinary-stage veto of a distress no signal called, 0 = off "
                             "(default: content's)")
    parser.add_argument("--emergency-veto-below", type=float, default=None,
                        help="second stage outvotes an emergency signal below this (with the "
                             "content's gate), 0 = off (default: content's)")
    parser.add_argument("--groups", type=int, default=0,
                        help="hold out whole batches in this many grouped folds (default 0: "
                             "one batch at a time, ~95 fits)")
    parser.add_argument("--min-recall", type=float, default=0.0)
    parser.add_argument("--min-specificity", type=float, default=0.0)
    parser.set_defaults(func=run)
