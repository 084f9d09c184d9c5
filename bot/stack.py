"""Starts the whole assistant: Redis, the action server, the Rasa server and the web chat page.

``python -m bot run`` (``make run``) and ``python -m bot serve`` (``make serve``) both use this.
Children run in their own process groups with their output in ``.run/logs/``; Ctrl-C or SIGTERM
stops every process started here, and the death of any child stops the rest, so nothing is left
running behind the user's back.
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
from pathlib import Path

import aiohttp

from bot.keyfile import write_secret
from bot.redis_server import EmbeddedRedis, RedisTarget, StartupError, resolve_redis

ROOT = Path(__file__).resolve().parent.parent
RUN_DIR = ROOT / ".run"
MODELS_DIR = Path(os.environ.get("BOT_MODELS_DIR", ROOT / "models"))
DEFAULT_RECORD_EXP = str(30 * 24 * 3600)  # conversations expire after 30 days by default
#: Sanic refuses a bigger body before reading it (webhook bodies are a few KB).
REQUEST_MAX_BYTES = str(1_000_000)
#: Where local scripts find this start's REST channel secret (see bot/channels/rest.py).
REST_SECRET_FILE = RUN_DIR / "rest-secret"


@dataclass
class Ports:
    rasa: int = int(os.environ.get("RASA_PORT", "5005"))
    actions: int = int(os.environ.get("ACTION_SERVER_PORT", "5055"))
    webchat: int = int(os.environ.get("WEBCHAT_PORT", "8080"))
    admin: int = int(os.environ.get("ADMIN_PORT", "8081"))


@dataclass
class Child:
    name: str
    process: subprocess.Popen[bytes]
    log_path: Path

    def tail(self, lines: int = 15) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


@dataclass
class Stack:
    ports: Ports = field(default_factory=Ports)
    host: str = os.environ.get("BOT_BIND_HOST", "127.0.0.1")
    admin_host: str = os.environ.get("ADMIN_BIND_HOST", "127.0.0.1")
    rest_secret: str = field(
        default_factory=lambda: (os.environ.get("REST_CHANNEL_SECRET") or "").strip()
        or secrets.token_urlsafe(32)
    )
    children: list[Child] = field(default_factory=list)
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

    # -- processes --------------------------------------------------------------------------
    def environment(self, redis_target: RedisTarget) -> dict[str, str]:
        env = dict(os.environ)
        env.update(redis_target.environment())
        env.setdefault("TRACKER_RECORD_EXP", DEFAULT_RECORD_EXP)
        env["ACTION_ENDPOINT_URL"] = f"http://127.0.0.1:{self.ports.actions}/webhook"
        env["RASA_TELEMETRY_ENABLED"] = "false"
        env["SANIC_REQUEST_MAX_SIZE"] = REQUEST_MAX_BYTES
        env["REST_CHANNEL_SECRET"] = self.rest_secret
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
        env.pop("REDIS_URL", None)  # children get the resolved host/port instead
        return env

    def spawn(self, name: str, command: list[str], env: dict[str, str]) -> Child:
        log_dir = RUN_DIR / "logs"
        log_dir.mkdir(parents=True, exist_ok=True)
        log_path = log_dir / f"{name}.log"
        log = open(log_path, "wb")  # noqa: SIM115 - handed to the child
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        child = Child(name, process, log_path)
        self.children.append(child)
        return child

    def write_credentials(self) -> Path:
        """credentials.yml plus every channel whose environment variables are set."""
        import yaml

        from bot.channels import channel_credentials

        with open(ROOT / "credentials.yml", encoding="utf-8") as handle:
            credentials = yaml.safe_load(handle) or {}
        credentials.update(channel_credentials(os.environ))
        path = RUN_DIR / "credentials.yml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(yaml.safe_dump(credentials), encoding="utf-8")
        return path

    def start_processes(self, redis_target: RedisTarget) -> None:
        env = self.environment(redis_target)
        write_secret(REST_SECRET_FILE, self.rest_secret)  # for local scripts (0600)
        credentials = self.write_credentials()
        python = sys.executable
        actions = ["--actions", "actions", "--port", str(self.ports.actions)]
        # The action server is only for Rasa: loopback only (rasa_sdk reads SANIC_HOST).
        self.spawn(
            "actions", [python, "-m", "rasa_sdk", *actions], {**env, "SANIC_HOST": "127.0.0.1"}
        )
        rasa = ["run", "--model", str(MODELS_DIR), "--endpoints", "endpoints.yml"]
        rasa += ["--credentials", str(credentials), "--port", str(self.ports.rasa)]
        self.spawn("rasa", [python, "-m", "rasa", *rasa, "--interface", self.host], env)
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
        checks = {
            "actions": f"http://127.0.0.1:{self.ports.actions}/health",
            "rasa": f"http://127.0.0.1:{self.ports.rasa}/webhooks/rest/",
        }
        deadline = time.monotonic() + timeout
        pending = dict(checks)
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=2)) as session:
            while pending:
                self.check_children()
                if time.monotonic() > deadline:
                    raise StartupError(
                        f"{', '.join(pending)} did not start within {timeout:.0f} s; see .run/logs/"
                    )
                for name, url in list(pending.items()):
                    try:
                        async with session.get(url) as response:
                            if response.status == 200:
                                del pending[name]
                    except (aiohttp.ClientError, asyncio.TimeoutError):
                        pass
                await asyncio.sleep(0.5)

    def check_children(self) -> None:
        for child in self.children:
            code = child.process.poll()
            if code is not None:
                raise StartupError(
                    f"the {child.name} server exited with code {code}; last lines of "
                    f"{child.log_path.relative_to(ROOT)}:\n{child.tail()}"
                )

    def stop(self) -> None:
        for child in self.children:
            if child.process.poll() is None:
                try:
                    os.killpg(child.process.pid, signal.SIGTERM)
                except ProcessLookupError:
                    pass
        deadline = time.monotonic() + 15
        for child in self.children:
            remaining = max(0.1, deadline - time.monotonic())
            try:
                child.process.wait(timeout=remaining)
            except subprocess.TimeoutExpired:
                try:
                    os.killpg(child.process.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                child.process.wait()
        self.children.clear()
        if self.embedded_redis:
            self.embedded_redis.stop()
            self.embedded_redis = None

    # -- main -------------------------------------------------------------------------------
    async def _run(self, with_webchat: bool) -> None:
        from bot.admin.server import start_admin
        from bot.webchat.server import start_webchat

        redis_target, self.embedded_redis = resolve_redis(RUN_DIR / "redis")
        which = "embedded Redis" if self.embedded_redis else f"Redis at {redis_target.display}"
        print(f"Using {which}. Starting the action server and the Rasa server…", flush=True)
        self.start_processes(redis_target)
        await self.wait_ready()
        rasa_url = f"http://{self.host}:{self.ports.rasa}"
        print(f"Rasa server: {rasa_url} (REST channel: {rasa_url}/webhooks/rest/webhook)")
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
        print("Press Ctrl-C to stop.", flush=True)
        try:
            while True:
                self.check_children()
                await asyncio.sleep(1)
        finally:
            await admin.cleanup()
            if runner is not None:
                await runner.cleanup()

    def run(self, with_webchat: bool) -> int:
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
