"""``python -m bot check``: check job offers for red flags (one offer on stdin, ``--jsonl``, or
``--image PATH``: the picture is read with OCR and the JSON gains ``text``)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from bot.commands.jsonl import Engine, register_engine_command


def _engine(language: str | None) -> Engine:
    from bot.engines.redflags import check_offer

    def engine(text: str) -> dict[str, Any]:
        return check_offer(text, language).to_dict()

    return engine


def check_image(path: Path, language: str | None) -> tuple[dict[str, Any], int]:
    """The check of the text read from the picture at ``path`` (language: the OCR hint too)."""
    from bot.engines.ocr import MAX_IMAGE_BYTES, read_image
    from bot.limits import cap_message

    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_IMAGE_BYTES + 1)
    except OSError as exc:
        return {"error": f"cannot read {path}: {exc.strerror}"}, 2
    read = read_image(data, hint=language)
    if read.status not in ("ok", "empty"):
        return {"error": f"image not read: {read.status}", "text": ""}, 1
    text = cap_message(read.text)
    return {**_engine(language)(text), "text": text}, 0


def register(subparsers: Any) -> None:
    parser = register_engine_command(
        subparsers,
        "check",
        "check a job offer for signs of scam-compound recruitment",
        "Read one offer on stdin and print one JSON object, or with --jsonl read "
        'lines {"id","text"} and print lines {"id","language","risk","score","flags"}, or '
        "with --image PATH read the offer from a picture (OCR) and print the same object "
        'plus "text".',
        _engine,
    )
    engine_command = parser.get_default("func")

    def run(args: Any) -> int:
        if args.image is None:
            return int(engine_command(args))
        result, status = check_image(Path(args.image), args.language)
        sys.stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
        return status

    parser.add_argument("--image", metavar="PATH", default=None,
                        help="a picture of the offer (PNG, JPEG, WebP, GIF, BMP; 10 MB at most)")
    parser.set_defaults(func=run)
