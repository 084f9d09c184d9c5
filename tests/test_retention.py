"""Erase reaches the disk, files are private, the embedded Redis wants its password."""

from __future__ import annotations

import os
import stat
import time
from pathlib import Path

import pytest
import redis

from bot.redis_server import (
    AOF_REWRITE_DUE,
    EmbeddedRedis,
    request_aof_rewrite,
    run_due_aof_rewrite,
    stack_password,
)


def _mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture
def private_redis(tmp_path: Path):
    password = stack_password(tmp_path / "password")
    server = EmbeddedRedis(tmp_path / "redis", password=password)
    server.start()
    yield server
    server.stop()


def test_password_required_and_files_private(private_redis: EmbeddedRedis, tmp_path: Path) -> None:
    with pytest.raises(redis.AuthenticationError):
        redis.Redis(port=private_redis.port).ping()
    assert private_redis.target.client().ping()
    assert _mode(tmp_path / "password") == 0o600
    assert _mode(tmp_path / "redis") == 0o700
    for name in ("redis.conf", "redis.log", "appendonly.aof"):
        assert _mode(tmp_path / "redis" / name) == 0o600, name
    assert private_redis.password not in " ".join(private_redis.process.args)  # not in `ps`
    assert stack_password(tmp_path / "password") == private_redis.password  # kept


def _rewritten(client: redis.Redis) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        info = client.info("persistence")
        if not info["aof_rewrite_in_progress"] and not info["aof_rewrite_scheduled"]:
            return
        time.sleep(0.1)
    raise AssertionError("the append-only file was not rewritten")


def test_erasure_is_rewritten_out_of_the_append_only_file(
    private_redis: EmbeddedRedis, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AOF_REWRITE_MIN_SECONDS", "2")
    client = private_redis.target.client()
    client.set("safejobs:tracker:42", "they locked me in the compound")
    client.delete("safejobs:tracker:42")  # erased, but the file still has the SET
    aof = private_redis.data_dir / "appendonly.aof"
    time.sleep(1.2)  # appendfsync everysec
    assert b"they locked me in" in aof.read_bytes()
    assert request_aof_rewrite(client) is True
    _rewritten(client)
    time.sleep(0.3)
    assert b"they locked me in" not in aof.read_bytes()
    # a second erasure inside the interval waits (rate limit), then is carried out
    assert request_aof_rewrite(client) is False and client.exists(AOF_REWRITE_DUE)
    time.sleep(2.2)
    assert run_due_aof_rewrite(client) is True and not client.exists(AOF_REWRITE_DUE)
