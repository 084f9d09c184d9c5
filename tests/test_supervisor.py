"""The supervisor restarts a crashed or hung child with backoff and leaves the others alone."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from bot import supervisor as sup
from bot.commands.status import read_status, render
from bot.supervisor import Service, Supervisor


def _sleeper() -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-c", "import time; time.sleep(60)"], start_new_session=True
    )


async def _ticks(supervisor: Supervisor, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        await supervisor.tick()
        await __import__("asyncio").sleep(0.1)


async def test_a_killed_child_is_restarted_and_the_others_keep_running(tmp_path: Path) -> None:
    supervisor = Supervisor(status_path=tmp_path / "status.json")
    a = supervisor.add(Service("notifier", _sleeper))
    b = supervisor.add(Service("rasa", _sleeper))
    a.start()
    b.start()
    b_pid = b.pid
    try:
        os.kill(a.pid, signal.SIGKILL)
        await _ticks(supervisor, 2.5)
        assert a.running() and a.restarts == 1 and a.last_exit == -signal.SIGKILL
        assert b.running() and b.pid == b_pid and b.restarts == 0
        status = read_status(tmp_path / "status.json")
        assert status is not None
        assert {s["name"]: s["restarts"] for s in status["services"]} == {"notifier": 1, "rasa": 0}
        assert "notifier" in render(status)
        assert oct(os.stat(tmp_path / "status.json").st_mode & 0o777) == "0o600"
    finally:
        supervisor.stop()
    assert not a.running() and not b.running()
    assert not (tmp_path / "status.json").exists()


async def test_backoff_doubles_up_to_the_maximum(monkeypatch) -> None:
    crashes = Service("campaigns", lambda: subprocess.Popen([sys.executable, "-c", "pass"]))
    supervisor = Supervisor()
    supervisor.add(crashes).start()
    waits = []
    for _ in range(7):
        crashes.process.wait()
        await supervisor.tick()
        waits.append(crashes.next_start - time.monotonic())
        crashes.next_start = time.monotonic() - 1  # do not actually wait in the test
        await supervisor.tick()
    assert [round(w) for w in waits] == [1, 2, 4, 8, 16, 30, 30]
    supervisor.stop()


async def test_a_hung_child_failing_its_health_check_is_restarted(monkeypatch) -> None:
    monkeypatch.setattr(sup, "CHECK_EVERY", 0.0)

    async def never() -> bool:
        return False

    hung = Service("actions", _sleeper, check=never, grace=0.0)
    supervisor = Supervisor()
    supervisor.add(hung).start()
    first = hung.pid
    try:
        hung.next_check = 0
        for _ in range(sup.UNHEALTHY_AFTER):
            hung.next_check = 0
            await supervisor.tick()
        assert hung.health == "down" and hung.next_start is not None
        hung.next_start = time.monotonic() - 1
        await supervisor.tick()
        assert hung.running() and hung.pid != first and hung.restarts == 1
    finally:
        supervisor.stop()


def test_status_without_a_stack_says_so() -> None:
    env = dict(os.environ, RASA_TELEMETRY_ENABLED="false")
    result = subprocess.run(
        [sys.executable, "-m", "bot", "status", "--json"],
        capture_output=True, text=True, timeout=60, env=env,
    )  # fmt: skip
    if result.returncode == 1:
        assert "not running" in result.stderr
    else:  # a stack of this checkout is running: its status is JSON
        assert "services" in json.loads(result.stdout)
