"""``python -m bot check``: check job offers for red flags (one offer on stdin, or ``--jsonl``)."""

from __future__ import annotations

from typing import Any

from bot.commands.jsonl import Engine, register_engine_command


def _engine(language: str | None) -> Engine:
    from bot.redflags import check_offer

    def engine(text: str) -> dict[str, Any]:
        return check_offer(text, language).to_dict()

    return engine


def register(subparsers: Any) -> None:
    register_engine_command(
        subparsers,
        "check",
        "check a job offer for signs of scam-compound recruitment",
        "Read one offer on stdin and print one JSON object, or with --jsonl read "
        'lines {"id","text"} and print lines {"id","language","risk","score","flags"}.',
        _engine,
    )
