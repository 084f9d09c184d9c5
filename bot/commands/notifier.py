"""``python -m bot notifier``: deliver consented cases to the operators' Telegram chat."""

from __future__ import annotations

import argparse
import asyncio
import sys

from bot import settings


def _run(args: argparse.Namespace) -> int:
    from bot.casework.cases import CaseStore
    from bot.casework.notifier import Notifier, telegram_editor, telegram_sender
    from bot.redis_server import reachable_target_from_env

    token = settings.text("TELEGRAM_BOT_TOKEN")
    chat_id = settings.text("OPERATORS_CHAT_ID")
    if not token or not chat_id:
        print("error: set TELEGRAM_BOT_TOKEN and OPERATORS_CHAT_ID", file=sys.stderr)
        return 1
    target = reachable_target_from_env()
    base_url = settings.text("TELEGRAM_API_BASE_URL")
    send = telegram_sender(token, chat_id, base_url)
    edit = telegram_editor(token, chat_id, base_url)
    notifier = Notifier(CaseStore(target.client()), send, edit=edit)
    asyncio.run(notifier.run_forever())
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "notifier", help="deliver consented cases to the operators' Telegram chat (at least once)"
    )
    parser.set_defaults(func=_run)
