"""``python -m bot nlu-eval``: intent F1 per language on a held-out split of nlu/.

A stratified 80/20 split per (intent, language) with a fixed seed; an NLU model is trained on the
80 % with the project's own config.yml, and every held-out message is parsed by the full pipeline
(so the SafetyRouter's overrides count too). The figures go to ``results/nlu_eval.json`` and
``results/nlu_eval.md``. The product targets are overall F1 ≥ 0.90 and ≥ 0.85 per language; the
command fails below ``--min-overall`` / ``--min-language`` (by default the targets; ``make test``
uses lower regression floors while the targets are not yet met, and says so).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
OVERALL_MIN, PER_LANGUAGE_MIN = 0.90, 0.85


def _split(messages: list, seed: int, test_fraction: float) -> tuple[list, list]:
    from bot.engines.language import detect_language

    groups: dict[tuple[str, str], list] = defaultdict(list)
    for message in messages:
        language = detect_language(message.get("text")).code
        groups[(message.get("intent"), language)].append(message)
    rng = random.Random(seed)
    train, test = [], []
    for key in sorted(groups):
        items = groups[key]
        rng.shuffle(items)
        cut = max(1, round(len(items) * test_fraction)) if len(items) >= 4 else 0
        test += [(key[1], m) for m in items[:cut]]
        train += items[cut:]
    return train, test


def _weighted_f1(pairs: list[tuple[str, str]]) -> float:
    from sklearn.metrics import f1_score

    if not pairs:
        return float("nan")
    gold, predicted = zip(*pairs, strict=True)
    return float(f1_score(gold, predicted, average="weighted", zero_division=0))


async def _predict(model_path: str, texts: list[str]) -> list[str]:
    from rasa.core.agent import Agent

    agent = Agent.load(model_path)
    results = []
    for text in texts:
        parsed = await agent.parse_message(text)
        results.append((parsed.get("intent") or {}).get("name") or "")
    return results


def evaluate(
    out_dir: Path, seed: int = 42, test_fraction: float = 0.2, config: Path = ROOT / "config.yml"
) -> dict:
    from rasa.model_training import train_nlu
    from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLWriter
    from rasa.shared.nlu.training_data.loading import load_data
    from rasa.shared.nlu.training_data.training_data import TrainingData

    data = load_data(str(ROOT / "nlu"))
    train, test = _split(list(data.intent_examples), seed, test_fraction)
    work = ROOT / ".run" / "nlu_eval"
    work.mkdir(parents=True, exist_ok=True)
    train_file = work / "train.yml"
    RasaYAMLWriter().dump(train_file, TrainingData(training_examples=train))
    model = train_nlu(
        config=str(config),
        nlu_data=str(train_file),
        output=str(work),
        fixed_model_name="nlu-eval",
        domain=str(ROOT / "domain.yml"),
    )
    predicted = asyncio.run(_predict(model, [m.get("text") for _, m in test]))
    by_language: dict[str, list[tuple[str, str]]] = defaultdict(list)
    errors = []
    for (language, message), guess in zip(test, predicted, strict=True):
        by_language[language].append((message.get("intent"), guess))
        if guess != message.get("intent"):
            errors.append(
                {"text": message.get("text"), "gold": message.get("intent"), "predicted": guess}
            )
    all_pairs = [pair for pairs in by_language.values() for pair in pairs]
    report = {
        "overall": {"f1": round(_weighted_f1(all_pairs), 4), "n": len(all_pairs)},
        "languages": {
            lang: {"f1": round(_weighted_f1(pairs), 4), "n": len(pairs)}
            for lang, pairs in sorted(by_language.items())
        },
        "train_examples": len(train),
        "errors": errors,
    }
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "nlu_eval.json").write_text(json.dumps(report, ensure_ascii=False, indent=2))
    lines = ["| language | intent F1 (weighted) | held-out messages |", "|---|---|---|"]
    lines += [f"| {lang} | {v['f1']:.3f} | {v['n']} |" for lang, v in report["languages"].items()]
    lines.append(f"| **all** | **{report['overall']['f1']:.3f}** | {report['overall']['n']} |")
    (out_dir / "nlu_eval.md").write_text("\n".join(lines) + "\n")
    return report


def _shortfall(report: dict, overall_min: float, language_min: float) -> str | None:
    failing = [lang for lang, v in report["languages"].items() if v["f1"] < language_min]
    if report["overall"]["f1"] >= overall_min and not failing:
        return None
    return (
        f"overall {report['overall']['f1']:.3f} (min {overall_min}), "
        f"languages under {language_min}: {', '.join(failing) or 'none'}"
    )


def _run(args: argparse.Namespace) -> int:
    report = evaluate(Path(args.out), seed=args.seed, config=Path(args.config))
    print(Path(args.out, "nlu_eval.md").read_text())
    target_gap = _shortfall(report, OVERALL_MIN, PER_LANGUAGE_MIN)
    if target_gap:
        print(f"NLU target not met: {target_gap}", file=sys.stderr)
    failure = _shortfall(report, args.min_overall, args.min_language)
    if failure:
        print(f"NLU below the required minimum: {failure}", file=sys.stderr)
        return 1
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "nlu-eval", help="intent F1 per language on a held-out split (trains an NLU model)"
    )
    parser.add_argument("--out", default=str(ROOT / "results"), help="where to write the report")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--config", default=str(ROOT / "config.yml"), help="Rasa config to test")
    parser.add_argument("--min-overall", type=float, default=OVERALL_MIN)
    parser.add_argument("--min-language", type=float, default=PER_LANGUAGE_MIN)
    parser.set_defaults(func=_run)
