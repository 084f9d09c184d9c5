"""``python -m bot``: one entry point, one sub-command module per concern in ``bot.commands``."""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys

from bot.redis_server import StartupError

os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")

#: Sub-command modules; each exposes ``register(subparsers)`` that sets ``func`` on its parser.
COMMAND_MODULES: tuple[str, ...] = (
    "bot.commands.check",
    "bot.commands.triage",
    "bot.commands.triage_eval",
    "bot.commands.offers_eval",
    "bot.commands.bench",
    "bot.commands.stack",
    "bot.commands.status",
    "bot.commands.notifier",
    "bot.commands.gateway",
    "bot.commands.nlu_eval",
    "bot.commands.telegram",
    "bot.commands.content",
    "bot.commands.campaign",
    "bot.commands.admin",
    "bot.commands.processes",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bot",
        description="Safe-jobs assistant: check job offers, triage distress, run the bot.",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log at DEBUG level")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:  # a command still being built must not break the others
            if exc.name != name:
                raise
            continue
        module.register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    if not getattr(args, "func", None):
        parser.print_help()
        return 0 if args.command is None else 2
    try:
        return int(args.func(args) or 0)
    except StartupError as exc:  # Redis unreachable, port taken...: one line, no traceback
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # e.g. piped into `head`
        return 0
