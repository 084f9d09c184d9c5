"""Starts the whole assistant: Redis, the action server, the Rasa server and the web chat page.

``python -m bot run`` (``make run``) and ``python -m bot serve`` (``make serve``) both use this.
Children run in their own process groups with their output in ``.run/logs/`` and are watched
by :class:`bot.supervisor.Supervisor`: one that crashes (or, for Redis, Rasa and the action
server, stops answering its health check) is restarted with backoff while the others carry on.
Ctrl-C or SIGTERM stops every process started here, so nothing is left running behind the user's
back. ``.run/`` is private: folders 0700, files 0600 (the umask of the stack and its children).
"""

from __future__ import annotations

import asyncio
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import redis

from bot.keyfile import write_secret
from bot.processes import (
    actions_argv,
    credentials_text,
    gateway_argv,
    rasa_argv,
    rasa_environment,
)
from bot.redis_server import (
    EmbeddedRedis,
    RedisTarget,
    StartupError,
    resolve_redis,
    run_due_aof_rewrite,
    write_private,
)
from bot.supervisor import Service, Supervisor, http_check

ROOT = Path(__file__).resolve().parent.parent
RUN_DIR = ROOT / ".run"
STATUS_FILE = RUN_DIR / "status.json"
RASA_GRACE = float(os.environ.get("RASA_START_GRACE", "300"))  # model loading on a slow machine
MODELS_DIR = Path(os.environ.get("BOT_MODELS_DIR", ROOT / "models"))
#: Where local scripts find this start's REST channel secret (see bot/channels/rest.py).
REST_SECRET_FILE = RUN_DIR / "rest-secret"


@dataclass
class Ports:
    rasa: int = int(os.environ.get("RASA_PORT", "5005"))
    actions: int = int(os.environ.get("ACTION_SERVER_PORT", "5055"))
    webchat: int = int(os.environ.get("WEBCHAT_PORT", "8080"))
    admin: int = int(os.environ.get("ADMIN_PORT", "8081"))
    gateway: int = int(os.environ.get("GATEWAY_PORT", "5006"))


@dataclass
class Stack:
    ports: Ports = field(default_factory=Ports)
    host: str = os.environ.get("BOT_BIND_HOST", "127.0.0.1")
    admin_host: str = os.environ.get("ADMIN_BIND_HOST", "127.0.0.1")
    rest_secret: str = field(
        default_factory=lambda: (os.environ.get("REST_CHANNEL_SECRET") or "").strip()
        or secrets.token_urlsafe(32)
    )
    supervisor: Supervisor = field(default_factory=lambda: Supervisor(status_path=STATUS_FILE))
    embedded_redis: EmbeddedRedis | None = None

    # -- checks -----------------------------------------------------------------------------
    def check_model(self) -> None:
        if not any(MODELS_DIR.glob("*.tar.gz")):
            raise StartupError(
                "no trained model in models/. Run `make train` (or `make run`, which trains first)."
            )

    def check_ports(self, with_webchat: bool) -> None:
        wanted = [("Rasa server", "RASA_PORT", self.ports.rasa)]
        wanted.append(("action server", "ACTION_SERVER_PORT", self.ports.actions))
        if with_webchat:
            wanted.append(("web chat page", "WEBCHAT_PORT", self.ports.webchat))
        if self.platform_channels:
            wanted.append(("channel gateway", "GATEWAY_PORT", self.ports.gateway))
        for what, variable, port in wanted:
            self.check_port(self.host, what, variable, port)
        self.check_port(self.admin_host, "admin page", "ADMIN_PORT", self.ports.admin)

    @staticmethod
    def check_port(host: str, what: str, variable: str, port: int) -> None:
        with socket.socket() as sock:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                sock.bind((host, port))
            except OSError:
                raise StartupError(
                    f"port {port} ({what}) is already in use. Stop the program using it "
                    f"(`lsof -i :{port}`), or set {variable} to another port."
                ) from None

    @cached_property
    def platform_channels(self) -> bool:
        """Whether Telegram or Messenger is configured (then the gateway serves their webhooks)."""
        from bot.channels import channel_credentials

        return bool(channel_credentials(os.environ))

    # -- processes --------------------------------------------------------------------------
    def environment(self, redis_target: RedisTarget) -> dict[str, str]:
        action_url = f"http://127.0.0.1:{self.ports.actions}/webhook"
        return rasa_environment(os.environ, redis_target, action_url, self.rest_secret)

    def spawn(
        self,
        name: str,
        command: list[str],
        env: dict[str, str],
        check: str | None = None,
        grace: float = 60.0,
    ) -> Service:
        """Start ``command`` as the supervised service ``name`` (its log in .run/logs/)."""
        log_dir = RUN_DIR / "logs"
        log_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        log_path = log_dir / f"{name}.log"
        log_path.unlink(missing_ok=True)  # a fresh log per stack start, appended on restarts

        def start() -> subprocess.Popen[bytes]:
            fd = os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
            try:
                return subprocess.Popen(
                    command, cwd=ROOT, env=env, stdout=fd, stderr=subprocess.STDOUT,
                    start_new_session=True,
                )  # fmt: skip
            finally:
                os.close(fd)

        service = Service(
            name, start, check=http_check(check) if check else None, grace=grace,
            log_path=log_path,
        )  # fmt: skip
        self.supervisor.add(service).start()
        return service

    def supervise_redis(self, embedded: EmbeddedRedis) -> None:
        """The embedded Redis as a service: restarted on its own port and append-only file."""
        target = embedded.target

        async def ping() -> bool:
            def once() -> bool:
                try:
                    return bool(target.client(socket_connect_timeout=1, socket_timeout=2).ping())
                except Exception:  # noqa: BLE001 - any failure means "not healthy"
                    return False

            return await asyncio.to_thread(once)

        service = Service(
            "redis", embedded.spawn, check=ping, grace=5.0,
            log_path=embedded.data_dir / "redis.log", stop_last=True,
        )  # fmt: skip
        service.process, service.started_at, service.health = embedded.process, time.time(), "up"
        self.supervisor.add(service)

    def write_credentials(self) -> Path:
        """credentials.yml plus the relay input of the channel gateway (which serves the
        platform webhooks itself, so they keep answering while Rasa is down)."""
        path = RUN_DIR / "credentials.yml"
        write_private(path, credentials_text(os.environ))
        return path

    def start_processes(self, redis_target: RedisTarget) -> None:
        env = self.environment(redis_target)
        write_secret(REST_SECRET_FILE, self.rest_secret)  # for local scripts (0600)
        credentials = self.write_credentials()
        python = sys.executable
        # The action server is only for Rasa: loopback only (rasa_sdk reads SANIC_HOST).
        self.spawn(
            "actions",
            actions_argv(self.ports.actions),
            {**env, "SANIC_HOST": "127.0.0.1"},
            check=f"http://127.0.0.1:{self.ports.actions}/health",
        )
        self.spawn(
            "rasa",
            rasa_argv(MODELS_DIR, credentials, self.ports.rasa, self.host),
            env,
            check=f"http://127.0.0.1:{self.ports.rasa}/webhooks/rest/",
            grace=RASA_GRACE,
        )
        if self.platform_channels:
            self.spawn(
                "gateway",
                gateway_argv(self.ports.gateway, self.host),
                {**env, "RASA_URL": f"http://127.0.0.1:{self.ports.rasa}"},
                check=f"http://127.0.0.1:{self.ports.gateway}/",
            )
        if env.get("TELEGRAM_BOT_TOKEN") or env.get("MESSENGER_PAGE_TOKEN"):
            # Awareness campaigns for alert subscribers (python -m bot campaign schedule ID).
            self.spawn("campaigns", [python, "-m", "bot", "campaign", "run"], env)
        if env.get("OPERATORS_CHAT_ID") and env.get("TELEGRAM_BOT_TOKEN"):
            self.spawn("notifier", [python, "-m", "bot", "notifier"], env)
        else:
            print(
                "Caseworker hand-over: cases are queued in Redis; set TELEGRAM_BOT_TOKEN and "
                "OPERATORS_CHAT_ID to deliver them to the operators' chat."
            )

    async def wait_ready(self, timeout: float = 180.0) -> None:
        """Wait for Rasa and the action server; a child that exits meanwhile stops the start
        with its last log lines (a broken configuration would only crash again)."""
        deadline = time.monotonic() + timeout
        names = ("actions", "rasa", "gateway")
        waiting = [s for s in self.supervisor.services if s.name in names]
        while True:
            self.check_children()
            pending = [s for s in waiting if s.check is None or not await s.check()]
            if not pending:
                for service in waiting:
                    service.health = "healthy"
                return
            if time.monotonic() > deadline:
                names = ", ".join(s.name for s in pending)
                raise StartupError(f"{names} did not start within {timeout:.0f} s; see .run/logs/")
            await asyncio.sleep(0.5)

    def check_children(self) -> None:
        for service in self.supervisor.services:
            code = service.process.poll() if service.process is not None else None
            if code is not None:
                where = service.log_path.relative_to(ROOT) if service.log_path else "its log"
                raise StartupError(
                    f"the {service.name} server exited with code {code}; last lines of "
                    f"{where}:\n{service.tail()}"
                )

    def stop(self) -> None:
        self.supervisor.stop()
        self.supervisor.services.clear()
        if self.embedded_redis:
            self.embedded_redis.stop()
            self.embedded_redis = None

    # -- main -------------------------------------------------------------------------------
    async def _run(self, with_webchat: bool) -> None:
        from bot.admin.server import start_admin
        from bot.webchat.server import start_webchat

        redis_target, self.embedded_redis = resolve_redis(RUN_DIR / "redis")
        if self.embedded_redis is not None:
            self.supervise_redis(self.embedded_redis)
        which = "embedded Redis" if self.embedded_redis else f"Redis at {redis_target.display}"
        print(f"Using {which}. Starting the action server and the Rasa server…", flush=True)
        self.start_processes(redis_target)
        await self.wait_ready()
        rasa_url = f"http://{self.host}:{self.ports.rasa}"
        print(f"Rasa server: {rasa_url} (REST channel: {rasa_url}/webhooks/rest/webhook)")
        if self.supervisor.get("gateway") is not None:
            print(f"Channel gateway (Telegram/Messenger webhooks): "
                  f"http://{self.host}:{self.ports.gateway}/webhooks/…")  # fmt: skip
        runner = None
        if with_webchat:
            runner = await start_webchat(
                self.host,
                self.ports.webchat,
                f"http://127.0.0.1:{self.ports.rasa}",
                self.rest_secret,
                RUN_DIR,
                redis_target,
            )
            print(f"\nChat with the assistant at http://localhost:{self.ports.webchat}\n")
        admin = await start_admin(self.admin_host, self.ports.admin, redis_target)
        print(f"Staff admin page: http://localhost:{self.ports.admin} (add an account: "
              "python -m bot admin add-user NAME --role editor|publisher)")
        self.supervisor.extra = {
            "webchat": {"port": self.ports.webchat} if with_webchat else None,
            "admin": {"port": self.ports.admin},
        }
        print("Press Ctrl-C to stop.", flush=True)
        maintenance = asyncio.create_task(self.maintain(redis_target))
        try:
            await self.supervisor.run()
        finally:
            maintenance.cancel()
            await admin.cleanup()
            if runner is not None:
                await runner.cleanup()

    async def maintain(self, redis_target: RedisTarget, every: float = 5.0) -> None:
        """Carry out an append-only file rewrite left due by an erasure (rate-limited)."""
        client = redis_target.client(socket_timeout=5, socket_connect_timeout=2)
        while True:
            await asyncio.sleep(every)
            try:
                await asyncio.to_thread(run_due_aof_rewrite, client)
            except redis.RedisError:
                pass  # Redis restarting: next round

    def run(self, with_webchat: bool) -> int:
        os.umask(0o077)  # .run/ and whatever the children write there: the owner's only
        private_run_dir()
        self.check_model()
        self.check_ports(with_webchat)
        loop = asyncio.new_event_loop()
        main = loop.create_task(self._run(with_webchat))
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, main.cancel)
        try:
            loop.run_until_complete(main)
        except asyncio.CancelledError:
            print("\nStopping…", flush=True)
            return 0
        finally:
            self.stop()
            loop.close()
        return 0


def private_run_dir() -> None:
    """Make ``.run/`` 0700 and tighten what an older version left readable (0644 logs, AOF)."""
    RUN_DIR.mkdir(exist_ok=True, mode=0o700)
    for folder, _dirs, files in os.walk(RUN_DIR):
        os.chmod(folder, 0o700)
        for name in files:
            path = os.path.join(folder, name)
            if not os.path.islink(path):
                os.chmod(path, 0o600)
