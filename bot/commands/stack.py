"""``python -m bot run`` and ``python -m bot serve``: start the whole assistant locally."""

from __future__ import annotations

import argparse
import sys

from bot.redis_server import StartupError


def _start(args: argparse.Namespace) -> int:
    from bot.stack import Stack

    stack = Stack()
    try:
        return stack.run(with_webchat=args.webchat)
    except StartupError as exc:
        stack.stop()
        print(f"error: {exc}", file=sys.stderr)
        return 1


def register(subparsers: argparse._SubParsersAction) -> None:
    run = subparsers.add_parser(
        "run", help="start Redis, the action server, Rasa and the web chat page (make run)"
    )
    run.set_defaults(func=_start, webchat=True)
    serve = subparsers.add_parser(
        "serve", help="start the same stack for scripts and channels; Rasa on localhost:5005"
    )
    serve.add_argument(
        "--no-webchat", dest="webchat", action="store_false", help="do not serve the web chat page"
    )
    serve.set_defaults(func=_start, webchat=True)
