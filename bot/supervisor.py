"""Keeps the stack's processes running: a crashed child is restarted, the others carry on.

Each :class:`Service` is one child process (Redis, the action server, Rasa, the notifier, the
broadcaster). :class:`Supervisor` checks them every second: a child that exited is started again
after a backoff (1 s, doubling to 30 s; reset once it stayed up a minute), and a child with a
health check (Rasa and the action server over HTTP, Redis by PING) that fails it
``UNHEALTHY_AFTER`` times in a row after its start-up grace is killed and restarted, so a hung
process is treated like a dead one. The notifier and the broadcaster are never a reason to stop
anything else. What it sees is written to ``.run/status.json`` (0600) for ``python -m bot
status``: pid, up since, restarts, health.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import signal
import subprocess
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp

from bot.redis_server import write_private

log = logging.getLogger(__name__)

BACKOFF_FIRST = 1.0
BACKOFF_MAX = 30.0
STABLE_AFTER = 60.0  # seconds up after which the next crash starts again from BACKOFF_FIRST
CHECK_EVERY = 5.0  # seconds between health checks of one service
UNHEALTHY_AFTER = 3  # consecutive failed checks that make a running child be restarted

HealthCheck = Callable[[], Awaitable[bool]]


def http_check(url: str, timeout: float = 3.0) -> HealthCheck:
    """A health check that passes when ``url`` answers 200."""

    async def check() -> bool:
        try:
            async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=timeout)) as s:
                async with s.get(url) as response:
                    return response.status == 200
        except (aiohttp.ClientError, asyncio.TimeoutError, OSError):
            return False

    return check


@dataclass
class Service:
    """One supervised child. ``spawn`` starts it and returns the process."""

    name: str
    spawn: Callable[[], subprocess.Popen[bytes]]
    check: HealthCheck | None = None
    grace: float = 30.0  # seconds after a start during which failed checks do not count
    log_path: Path | None = None
    stop_last: bool = False
    process: subprocess.Popen[bytes] | None = None
    started_at: float = 0.0
    restarts: int = 0
    health: str = "starting"  # starting | healthy | unhealthy | down | up (no check)
    failures: int = 0
    backoff: float = BACKOFF_FIRST
    next_start: float | None = None
    next_check: float = 0.0
    last_exit: int | None = None

    def start(self, now: float | None = None) -> None:
        self.process = self.spawn()
        self.started_at = now if now is not None else time.time()
        self.health = "starting" if self.check else "up"
        self.failures = 0
        self.next_start = None
        self.next_check = time.monotonic() + 1.0

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process is not None else None

    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def kill(self, sig: int = signal.SIGKILL) -> None:
        """Signal the child's whole process group (Rasa starts helpers of its own)."""
        if self.process is not None and self.process.poll() is None:
            try:
                os.killpg(self.process.pid, sig)
            except ProcessLookupError:
                pass

    def tail(self, lines: int = 15) -> str:
        if self.log_path is None:
            return ""
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "pid": self.pid if self.running() else None,
            "up_since": self.started_at if self.running() else None,
            "restarts": self.restarts,
            "health": self.health,
            "last_exit": self.last_exit,
        }


@dataclass
class Supervisor:
    services: list[Service] = field(default_factory=list)
    status_path: Path | None = None
    started_at: float = field(default_factory=time.time)
    extra: dict[str, Any] = field(default_factory=dict)  # in-process parts (web chat, admin)

    def add(self, service: Service) -> Service:
        self.services.append(service)
        return service

    def get(self, name: str) -> Service | None:
        return next((s for s in self.services if s.name == name), None)

    def _schedule_restart(self, service: Service, now: float, why: str) -> None:
        if service.started_at and time.time() - service.started_at >= STABLE_AFTER:
            service.backoff = BACKOFF_FIRST
        service.next_start = now + service.backoff
        log.warning("%s %s; restarting in %.0f s", service.name, why, service.backoff)
        print(f"{service.name} {why}; restarting in {service.backoff:.0f} s", flush=True)
        service.backoff = min(service.backoff * 2, BACKOFF_MAX)
        service.health = "down"

    async def _check(self, service: Service, now: float) -> None:
        if service.check is None or now < service.next_check:
            return
        service.next_check = now + CHECK_EVERY
        if await service.check():
            service.health, service.failures = "healthy", 0
            return
        if time.time() - service.started_at < service.grace:
            return  # still starting: Rasa loads its model for a while
        service.failures += 1
        service.health = "unhealthy"
        if service.failures >= UNHEALTHY_AFTER:
            service.kill()
            if service.process is not None:
                service.process.wait()
            service.last_exit = -int(signal.SIGKILL)
            self._schedule_restart(service, now, "failed its health check")

    async def tick(self) -> None:
        """One round: restart what is due, notice exits, run due health checks."""
        now = time.monotonic()
        for service in self.services:
            if service.process is None or service.next_start is not None:
                if service.next_start is not None and now >= service.next_start:
                    service.restarts += 1
                    try:
                        service.start()
                    except OSError as exc:
                        self._schedule_restart(service, now, f"could not start ({exc})")
                continue
            code = service.process.poll()
            if code is not None:
                service.last_exit = code
                self._schedule_restart(service, now, f"exited with code {code}")
                continue
            await self._check(service, now)
        self.write_status()

    def write_status(self) -> None:
        if self.status_path is None:
            return
        status = {
            "pid": os.getpid(),
            "started_at": self.started_at,
            "updated_at": time.time(),
            "services": [s.as_dict() for s in self.services],
            "in_process": self.extra,
        }
        try:
            write_private(self.status_path, json.dumps(status, indent=1))
        except OSError as exc:
            log.warning("could not write the status file (%s)", type(exc).__name__)

    async def run(self, every: float = 1.0) -> None:
        while True:
            await self.tick()
            await asyncio.sleep(every)

    def stop(self, timeout: float = 15.0) -> None:
        """SIGTERM every child, then SIGKILL what is still there; Redis (``stop_last``) goes
        after the processes that write to it."""
        for last in (False, True):
            group = [s for s in self.services if s.stop_last == last]
            for service in group:
                service.next_start = None
                service.kill(signal.SIGTERM)
            deadline = time.monotonic() + timeout
            for service in group:
                if service.process is None:
                    continue
                try:
                    service.process.wait(timeout=max(0.1, deadline - time.monotonic()))
                except subprocess.TimeoutExpired:
                    service.kill(signal.SIGKILL)
                    service.process.wait()
        if self.status_path is not None:
            self.status_path.unlink(missing_ok=True)
