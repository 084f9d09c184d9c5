"""``python -m bot <process>``: each process of a deployment starts alone, as deploy/ does it."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request

import pytest

from bot.cli import build_parser
from bot.ports import free_port
from bot.processes import DEFAULT_PORTS, HEALTH_PATHS, PORT_VARIABLES, ROOT, port

#: Every process deploy/compose.yml and the Helm chart start (tests/test_deploy.py checks them).
PROCESSES = ("rasa", "actions", "webchat", "admin", "notifier", "broadcaster", "gateway")


@pytest.mark.parametrize("process", PROCESSES)
def test_each_process_has_a_sub_command_with_help(
    process: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as ended:
        build_parser().parse_args([process, "--help"])
    assert ended.value.code == 0
    assert process in capsys.readouterr().out


def test_ports_come_from_their_variables_else_the_defaults() -> None:
    assert port("rasa", {}) == DEFAULT_PORTS["rasa"] == 5005
    assert port("actions", {"ACTION_SERVER_PORT": "6055"}) == 6055


def test_rasa_refuses_to_start_without_the_rest_secret(tmp_path) -> None:
    (tmp_path / "model.tar.gz").write_bytes(b"")  # past the model check, even before `make train`
    env = {**os.environ, "REST_CHANNEL_SECRET": "", "REDIS_URL": "redis://127.0.0.1:1/0",
           "BOT_MODELS_DIR": str(tmp_path)}  # fmt: skip
    result = subprocess.run([sys.executable, "-m", "bot", "rasa"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)  # fmt: skip
    assert result.returncode == 1
    assert result.stderr.startswith("error: REST_CHANNEL_SECRET")
    assert "Traceback" not in result.stderr


@pytest.mark.slow
@pytest.mark.parametrize("process", ["actions", "webchat", "admin"])
def test_a_process_alone_answers_its_health_check(redis_target, process: str) -> None:
    """Started as a deployment starts it; Rasa alone is covered by tests/scale."""
    own_port = free_port()
    env = {**os.environ, PORT_VARIABLES[process]: str(own_port), "REST_CHANNEL_SECRET": "s" * 32,
           "REDIS_URL": f"redis://127.0.0.1:{redis_target.port}/0"}  # fmt: skip
    process_ = subprocess.Popen([sys.executable, "-m", "bot", process], cwd=ROOT, env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                url = f"http://127.0.0.1:{own_port}{HEALTH_PATHS[process]}"
                with urllib.request.urlopen(url, timeout=2) as reply:
                    assert reply.status == 200
                    break
            except OSError:
                assert process_.poll() is None, f"{process} exited"
                assert time.monotonic() < deadline, "no /health within 120 s"
                time.sleep(0.5)
    finally:
        process_.terminate()
        try:
            assert process_.wait(timeout=20) in (0, -15)  # SIGTERM: a clean stop
        except subprocess.TimeoutExpired:
            process_.kill()
            process_.wait()
            raise
