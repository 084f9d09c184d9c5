"""``python -m bot gateway``: the Telegram and Messenger webhooks, outside the Rasa process.

Started and supervised by ``make run``/``make serve`` when a platform channel is configured;
see :mod:`bot.channels.gateway`. Port ``GATEWAY_PORT`` (5006), address ``BOT_BIND_HOST`` like
the web chat; Rasa at ``RASA_URL`` (default ``http://127.0.0.1:$RASA_PORT``).
"""

from __future__ import annotations

import argparse
import os


def _run(args: argparse.Namespace) -> int:
    from bot.channels.gateway import serve
    from bot.processes import port as configured_port

    os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
    port = args.port or configured_port("gateway")
    host = args.host or os.environ.get("BOT_BIND_HOST", "127.0.0.1")
    return serve(host, port)


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "gateway", help="serve the Telegram/Messenger webhooks; answers even while Rasa is down"
    )
    parser.add_argument("--host", default=None, help="address to bind (default BOT_BIND_HOST)")
    parser.add_argument("--port", type=int, default=None, help="port (default GATEWAY_PORT)")
    parser.set_defaults(func=_run)
