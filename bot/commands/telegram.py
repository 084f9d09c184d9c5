"""``python -m bot telegram set-webhook URL`` and ``python -m bot telegram poll`` (make telegram).

``set-webhook`` registers the public URL of ``/webhooks/telegram/webhook`` with the secret token.
``poll`` is for local use without a public URL: it starts the stack (unless ``--gateway-url``
names a running one), removes any webhook and feeds every update from getUpdates to the channel
gateway's Telegram webhook (durable intake, degraded answers while Rasa is down), so polling runs
exactly the code a webhook deployment runs.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import secrets
import signal
import subprocess
import sys
import time
from typing import Any

from bot.channels import (
    TELEGRAM_ALLOWED_UPDATES,
    TELEGRAM_DEFAULT_API,
    telegram_secret_problem,
)

WEBHOOK_PATH = "/webhooks/telegram/webhook"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
POLL_TIMEOUT = 10  # seconds a getUpdates call waits; also how often a dead stack is noticed


class CommandError(Exception):
    """One line for the user; never holds the token."""


def _token() -> str:
    token = (os.environ.get("TELEGRAM_BOT_TOKEN") or "").strip()
    if not token:
        raise CommandError("TELEGRAM_BOT_TOKEN is not set (the token @BotFather gave you).")
    return token


def _secret(generate: bool) -> str:
    secret = (os.environ.get("TELEGRAM_WEBHOOK_SECRET") or "").strip()
    if not secret and generate:
        # Polling needs no public secret: a fresh one protects the local webhook all the same.
        secret = secrets.token_urlsafe(32)
        os.environ["TELEGRAM_WEBHOOK_SECRET"] = secret
    if not secret:
        raise CommandError(
            "TELEGRAM_WEBHOOK_SECRET is not set; choose a random string of A-Z, a-z, 0-9, _ and - "
            "(e.g. `python -c 'import secrets; print(secrets.token_urlsafe(32))'`)."
        )
    problem = telegram_secret_problem(secret)
    if problem:
        raise CommandError(f"TELEGRAM_WEBHOOK_SECRET {problem}.")
    return secret


def _bot(token: str) -> Any:
    from telegram import Bot

    return Bot(token, base_url=os.environ.get("TELEGRAM_API_BASE_URL") or TELEGRAM_DEFAULT_API)


def _describe(exc: BaseException, token: str) -> str:
    """An error for the user, with the token blanked out (PTB puts it in InvalidToken)."""
    from telegram.error import InvalidToken

    if isinstance(exc, InvalidToken):
        return "Telegram rejected TELEGRAM_BOT_TOKEN"
    return f"{type(exc).__name__}: {str(exc).replace(token, '<token>')}"


# -- set-webhook --------------------------------------------------------------------------------


async def _set_webhook(url: str, drop_pending: bool) -> str:
    from telegram.error import TelegramError

    token, secret = _token(), _secret(generate=False)
    if not url.startswith("https://"):
        raise CommandError("Telegram only delivers to an https:// URL.")
    if not url.rstrip("/").endswith(WEBHOOK_PATH):
        url = url.rstrip("/") + WEBHOOK_PATH
    bot = _bot(token)
    try:
        async with bot:
            await bot.set_webhook(
                url=url,
                secret_token=secret,
                allowed_updates=list(TELEGRAM_ALLOWED_UPDATES),
                drop_pending_updates=drop_pending,
            )
    except TelegramError as exc:
        raise CommandError(_describe(exc, token)) from None
    return url


def _cmd_set_webhook(args: argparse.Namespace) -> int:
    try:
        url = asyncio.run(_set_webhook(args.url, args.drop_pending))
    except CommandError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"Telegram will deliver updates to {url} (with the secret token).")
    return 0


# -- poll -----------------------------------------------------------------------------------------


def _start_stack() -> subprocess.Popen[bytes]:
    """``python -m bot serve --no-webchat`` with this environment (so with the secret)."""
    # Its own session: Ctrl-C reaches only this command, which then stops the stack once.
    return subprocess.Popen(
        [sys.executable, "-m", "bot", "serve", "--no-webchat"], start_new_session=True
    )


async def _wait_for_webhook(client: Any, gateway: str, stack: subprocess.Popen[bytes] | None):
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if stack is not None and stack.poll() is not None:
            raise CommandError("the stack stopped; see the lines above")
        try:
            reply = await client.get(gateway + "/webhooks/telegram/", timeout=2)
            if reply.status_code == 200:
                return
        except Exception:  # not up yet
            pass
        await asyncio.sleep(1)
    raise CommandError(f"no Telegram channel answered at {gateway} within 300 s")


FORWARD_RETRY_MAX = 30.0  # seconds between tries of an update the webhook could not take


async def forward_update(
    client: Any,
    url: str,
    secret: str,
    update: dict[str, Any],
    sleep: Any = asyncio.sleep,
) -> None:
    """Hand one update to the webhook, trying until it is taken: never dropped.

    200 means stored (the reply follows from the intake consumer); 5xx or no answer (the stack
    restarting, Redis down) is tried again with a growing pause, as Telegram does with a
    webhook; 4xx other than a refused secret means the webhook judged the update unreadable.
    """
    attempt = 0
    while True:
        attempt += 1
        try:
            reply = await client.post(url, json=update, headers={SECRET_HEADER: secret})
        except Exception as exc:
            print(f"warning: the webhook did not answer ({type(exc).__name__})", file=sys.stderr)
        else:
            if reply.status_code == 200:
                return
            if reply.status_code in (401, 403):
                raise CommandError("the gateway refused the webhook secret")
            if reply.status_code < 500:
                return  # the webhook judged the update unreadable: nothing to retry
        await sleep(min(float(attempt), FORWARD_RETRY_MAX))


async def _poll(gateway: str | None) -> None:
    import httpx
    from telegram.error import NetworkError, RetryAfter, TelegramError

    token, secret = _token(), _secret(generate=True)
    stack = None
    if gateway is None:
        port = os.environ.get("GATEWAY_PORT", "5006")
        gateway = f"http://127.0.0.1:{port}"
        stack = _start_stack()
    bot = _bot(token)
    try:
        async with httpx.AsyncClient(timeout=30) as client:
            await _wait_for_webhook(client, gateway, stack)
            async with bot:
                await bot.delete_webhook()
                me = bot.bot
                print(f"Polling Telegram for @{me.username}; Ctrl-C stops.", flush=True)
                offset: int | None = None
                while True:
                    if stack is not None and stack.poll() is not None:
                        raise CommandError("the stack stopped; see the lines above")
                    try:
                        updates = await bot.get_updates(
                            offset=offset,
                            timeout=POLL_TIMEOUT,
                            allowed_updates=list(TELEGRAM_ALLOWED_UPDATES),
                        )
                    except RetryAfter:
                        await asyncio.sleep(5)
                        continue
                    except NetworkError:  # timeouts and connection drops: just ask again
                        await asyncio.sleep(1)
                        continue
                    for update in updates:
                        offset = update.update_id + 1
                        await forward_update(
                            client, gateway + WEBHOOK_PATH, secret, update.to_dict()
                        )
    except TelegramError as exc:
        raise CommandError(_describe(exc, token)) from None
    finally:
        if stack is not None and stack.poll() is None:
            stack.send_signal(signal.SIGINT)
            try:
                stack.wait(timeout=60)
            except subprocess.TimeoutExpired:
                stack.kill()


def _cmd_poll(args: argparse.Namespace) -> int:
    loop = asyncio.new_event_loop()
    main = loop.create_task(_poll(args.gateway_url))
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, main.cancel)
    try:
        loop.run_until_complete(main)
    except asyncio.CancelledError:
        print("\nStopping…", flush=True)
    except CommandError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    finally:
        loop.close()
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    telegram = subparsers.add_parser("telegram", help="Telegram: register the webhook, or poll")
    commands = telegram.add_subparsers(dest="telegram_command", metavar="ACTION", required=True)
    webhook = commands.add_parser(
        "set-webhook", help="register URL (https, the gateway's /webhooks/telegram/webhook)"
    )
    webhook.add_argument("url", help="public https URL of the channel gateway (or of the webhook)")
    webhook.add_argument(
        "--drop-pending", action="store_true", help="discard updates Telegram is holding"
    )
    webhook.set_defaults(func=_cmd_set_webhook)
    poll = commands.add_parser(
        "poll", help="local use without a public URL: start the stack and poll (make telegram)"
    )
    poll.add_argument(
        "--gateway-url",
        "--rasa-url",  # the name before the gateway existed
        dest="gateway_url",
        default=None,
        help="use this running channel gateway (started with the same TELEGRAM_* variables) "
        "instead of starting the stack",
    )
    poll.set_defaults(func=_cmd_poll)
