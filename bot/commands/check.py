"""``python -m bot check``: check job offers for red flags (one offer on stdin, or ``--jsonl``)."""

from __future__ import annotations

import argparse
from typing import Any

from bot.commands.jsonl import run_jsonl, run_single


def _engine(language: str | None):  # noqa: ANN202 - returns the shared Engine callable
    from bot.redflags import check_offer

    def engine(text: str) -> dict[str, Any]:
        return check_offer(text, language).to_dict()

    return engine


def run(args: argparse.Namespace) -> int:
    engine = _engine(args.language)
    return run_jsonl(engine) if args.jsonl else run_single(engine)


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "check",
        help="check a job offer for signs of scam-compound recruitment",
        description="Read one offer on stdin and print one JSON object, or with --jsonl read "
        'lines {"id","text"} and print lines {"id","language","risk","score","flags"}.',
    )
    parser.add_argument("--jsonl", action="store_true", help="one JSON record per line")
    parser.add_argument("--language", default=None, help="ISO 639-1 code; detected if omitted")
    parser.set_defaults(func=run)
