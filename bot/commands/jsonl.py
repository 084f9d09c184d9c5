"""Shared runner for the ``--jsonl`` mode of the engine commands (``check``, ``triage``).

One JSON object per input line ``{"id": ..., "text": ...}``; one output line per input line, in
order. A bad line yields ``{"id", "error"}`` and the run goes on, so a batch is never lost to one
broken record.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import Any, TextIO

from bot.limits import MAX_MESSAGE_CHARS

Engine = Callable[[str], dict[str, Any]]

MAX_TEXT_CHARS = MAX_MESSAGE_CHARS  # longer inputs are cut, not refused (bot.limits)


def read_text(stream: TextIO) -> str:
    """Read all of stdin, tolerating bytes that are not UTF-8."""
    data = stream.buffer.read() if hasattr(stream, "buffer") else stream.read().encode()
    return data.decode("utf-8", errors="replace")


def process_line(line: str, engine: Engine, line_number: int) -> dict[str, Any]:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        return {"id": None, "error": f"line {line_number}: not valid JSON ({exc.msg})"}
    if not isinstance(record, dict):
        return {"id": None, "error": f"line {line_number}: expected a JSON object"}
    record_id = record.get("id")
    text = record.get("text")
    if not isinstance(text, str):
        return {"id": record_id, "error": f"line {line_number}: field 'text' must be a string"}
    try:
        result = engine(text[:MAX_TEXT_CHARS])
    except Exception as exc:  # noqa: BLE001 - one bad record must not stop the batch
        return {"id": record_id, "error": f"line {line_number}: {type(exc).__name__}: {exc}"}
    return {"id": record_id, **result}


def run_jsonl(engine: Engine, stdin: TextIO = sys.stdin, stdout: TextIO = sys.stdout) -> int:
    text = read_text(stdin)
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        out = process_line(line, engine, number)
        stdout.write(json.dumps(out, ensure_ascii=False) + "\n")
        stdout.flush()
    return 0


def run_single(engine: Engine, stdin: TextIO = sys.stdin, stdout: TextIO = sys.stdout) -> int:
    text = read_text(stdin)[:MAX_TEXT_CHARS]
    stdout.write(json.dumps(engine(text), ensure_ascii=False) + "\n")
    return 0


def register_engine_command(
    subparsers: Any,
    name: str,
    help_text: str,
    description: str,
    make_engine: Callable[[str | None], Engine],
) -> Any:
    """A sub-command that runs ``make_engine(language)`` on stdin, single or ``--jsonl``;
    returns its parser (a command may add options)."""

    def run(args: Any) -> int:
        from bot.content.watcher import ensure_watcher

        ensure_watcher()  # with Redis configured, check against the published content
        engine = make_engine(args.language)
        return run_jsonl(engine) if args.jsonl else run_single(engine)

    parser = subparsers.add_parser(name, help=help_text, description=description)
    parser.add_argument("--jsonl", action="store_true", help="one JSON record per line")
    parser.add_argument("--language", default=None, help="ISO 639-1 code; detected if omitted")
    parser.set_defaults(func=run)
    return parser
