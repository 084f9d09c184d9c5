"""``python -m bot triage``: recognise distress (one message on stdin, or ``--jsonl``)."""

from __future__ import annotations

from typing import Any

from bot.commands.jsonl import Engine, register_engine_command


def _engine(language: str | None) -> Engine:
    from bot.engines.triage import triage

    def engine(text: str) -> dict[str, Any]:
        return triage(text, language).to_dict()

    return engine


def register(subparsers: Any) -> None:
    register_engine_command(
        subparsers,
        "triage",
        "recognise distress (trapped, hurt, in danger) in a message",
        "Read one message on stdin and print one JSON object, or with --jsonl read "
        'lines {"id","text"} and print lines {"id","language","distress","severity","signals",'
        '"confidence","check_in","country"}; a bad line yields {"id","error"}.',
        _engine,
    )
