"""``python -m bot rasa|actions|webchat|admin``: one process of the assistant, in the foreground.

For deployments that run each process in its own container or host (deploy/compose.yml, the
Helm chart) behind a load balancer, all sharing one Redis (``REDIS_URL``). ``python -m bot run``
starts the same processes together for one machine. Rasa and the action server replace this
Python process (exec), so the container's signals reach them directly. The notifier
(``python -m bot notifier``) and the broadcaster (``python -m bot broadcaster``, the same as
``campaign run``) have their own commands.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import sys
from collections.abc import Awaitable, Callable

from bot import settings
from bot.redis_server import RedisTarget, StartupError

SECRET_HELP = "REST_CHANNEL_SECRET (shared by the web chat and every Rasa server) is not set"


def _bind_host() -> str:
    return settings.text("BOT_BIND_HOST")


def _rest_secret() -> str:
    secret = settings.text("REST_CHANNEL_SECRET")
    if not secret:
        raise StartupError(SECRET_HELP)
    return secret


def _action_url() -> str:
    from bot.processes import port

    configured = settings.text("ACTION_ENDPOINT_URL")
    return configured or f"http://127.0.0.1:{port('actions')}/webhook"


def _rasa(args: argparse.Namespace) -> int:
    """Rasa's server: NLU, dialogue, channels; trackers and locks in the shared Redis."""
    from bot.processes import (
        ROOT,
        credentials_text,
        models_dir,
        port,
        rasa_argv,
        rasa_environment,
    )
    from bot.redis_server import reachable_target_from_env, write_private

    models = models_dir()
    if not any(models.glob("*.tar.gz")):
        raise StartupError(f"no trained model in {models} (set BOT_MODELS_DIR, or `make train`)")
    secret = _rest_secret()
    env = rasa_environment(os.environ, reachable_target_from_env(), _action_url(), secret)
    rasa_port = port("rasa")
    credentials = ROOT / ".run" / f"credentials-{rasa_port}.yml"
    write_private(credentials, credentials_text(env))
    argv = rasa_argv(models, credentials, rasa_port, _bind_host())
    os.execve(argv[0], argv, env)
    return 1  # not reached


def _actions(args: argparse.Namespace) -> int:
    """The action server; Redis for casework from the same variables as Rasa's."""
    from bot.processes import actions_argv, port, rasa_environment
    from bot.redis_server import target_from_env

    secret = settings.text("REST_CHANNEL_SECRET")
    env = rasa_environment(os.environ, target_from_env(), _action_url(), secret)
    env["SANIC_HOST"] = _bind_host()
    argv = actions_argv(port("actions"))
    os.execve(argv[0], argv, env)
    return 1  # not reached


async def _serve_until_stopped(
    start: Callable[[], Awaitable[object]], background: Awaitable[None] | None = None
) -> None:
    """Start an aiohttp runner (and a background task) and keep them until SIGTERM or Ctrl-C."""
    runner = await start()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    task = asyncio.ensure_future(background) if background is not None else None
    print("ready", flush=True)
    try:
        await stop.wait()
    finally:
        if task is not None:
            task.cancel()
        await runner.cleanup()  # type: ignore[attr-defined]


async def _aof_rewrites(target: RedisTarget, every: float = 5.0) -> None:
    """Carry out append-only file rewrites left due by erasures (the stack does this locally).

    Safe in any number of copies: a Redis key lets one rewrite start per interval.
    """
    import redis

    from bot.redis_server import run_due_aof_rewrite

    client = target.client(socket_timeout=5, socket_connect_timeout=2)
    while True:
        await asyncio.sleep(every)
        try:
            await asyncio.to_thread(run_due_aof_rewrite, client)
        except redis.RedisError:
            pass  # Redis restarting or failing over: next round


def _webchat(args: argparse.Namespace) -> int:
    """The web chat page; it forwards to RASA_URL (a Rasa server or their load balancer)."""
    from bot.processes import ROOT, port
    from bot.redis_server import reachable_target_from_env
    from bot.webchat.server import start_webchat

    rasa_url = settings.text("RASA_URL") or f"http://127.0.0.1:{port('rasa')}"
    secret, target = _rest_secret(), reachable_target_from_env()
    if not settings.text("WEBCHAT_COOKIE_SECRET"):
        print("note: WEBCHAT_COOKIE_SECRET is not set; set one shared by every web chat copy",
              file=sys.stderr)  # fmt: skip
    host, run_dir = _bind_host(), ROOT / ".run"
    asyncio.run(_serve_until_stopped(
        lambda: start_webchat(host, port("webchat"), rasa_url, secret, run_dir, target)
    ))  # fmt: skip
    return 0


def serve_admin(args: argparse.Namespace) -> int:
    """The staff admin page (one copy is enough; several are safe: sessions are in Redis).

    It also carries out the append-only file rewrites erasures leave due, as the stack does.
    """
    from bot.admin.server import start_admin
    from bot.processes import port
    from bot.redis_server import reachable_target_from_env

    host = settings.text("ADMIN_BIND_HOST")
    target = reachable_target_from_env()
    asyncio.run(_serve_until_stopped(lambda: start_admin(host, port("admin"), target),
                                     _aof_rewrites(target)))  # fmt: skip
    return 0


PROCESSES = {
    "rasa": (_rasa, "Rasa's server alone (port RASA_PORT); trackers and locks in REDIS_URL"),
    "actions": (_actions, "the action server alone (port ACTION_SERVER_PORT)"),
    "webchat": (_webchat, "the web chat page alone (port WEBCHAT_PORT), forwarding to RASA_URL"),
}


def register(subparsers: argparse._SubParsersAction) -> None:
    # `python -m bot admin` (no action) serves the admin page: see bot/commands/admin.py, which
    # also holds the account actions (add-user, ...), so the name is registered there once.
    for name, (func, help_text) in PROCESSES.items():
        parser = subparsers.add_parser(name, help=help_text, description=help_text)
        parser.set_defaults(func=func)
