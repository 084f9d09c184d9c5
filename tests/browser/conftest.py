"""Browser tests run only when asked for by path (``make browser-test`` = ``pytest tests/browser``).

They need Debian's chromium and start the whole stack, so ``pytest`` / ``pytest -m slow`` over
``tests/`` leaves them out instead of running them twice in ``make test``. All of them share one
stack (``stack``), with a fake Telegram Bot API for the operators' chat.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.ports import free_port
from bot.redis_server import EmbeddedRedis
from tests.browser.chromium import CHROMIUM
from tests.fakes.servers import FakeTelegram
from tests.helpers import start_stack

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
REST_SECRET = "browser-test-rest-secret"
TELEGRAM_TOKEN = "123456:BROWSER-token_for-the-fake"
TELEGRAM_SECRET = "browser-test-secret_0123456789"
OPERATORS_CHAT = -1008888


def _asked_for(config: pytest.Config) -> bool:
    for arg in config.args:
        path = Path(str(arg).split("::", 1)[0]).resolve()
        if path == HERE or HERE in path.parents:
            return True
    return False


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    if collection_path.suffix == ".py" and not _asked_for(config):
        return True
    return None


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """``python -m bot serve`` (web chat and admin page) on free ports, started once."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is missing: `apt-get install chromium` (make browser-test)")
    pytest.importorskip("playwright.sync_api", reason="pip install playwright")
    if not any((ROOT / "models").glob("*.tar.gz")):
        pytest.skip("no trained model: run `make train`")
    telegram = FakeTelegram().start()
    redis = EmbeddedRedis(tmp_path_factory.mktemp("redis"))
    target = redis.start()
    ports = {name: free_port() for name in ("rasa", "actions", "webchat", "admin", "gateway")}
    env = dict(os.environ, RASA_TELEMETRY_ENABLED="false",
               RASA_PORT=str(ports["rasa"]), ACTION_SERVER_PORT=str(ports["actions"]),
               WEBCHAT_PORT=str(ports["webchat"]), ADMIN_PORT=str(ports["admin"]),
               GATEWAY_PORT=str(ports["gateway"]),
               REDIS_URL=f"redis://127.0.0.1:{target.port}/0", REST_CHANNEL_SECRET=REST_SECRET,
               TELEGRAM_BOT_TOKEN=TELEGRAM_TOKEN, TELEGRAM_WEBHOOK_SECRET=TELEGRAM_SECRET,
               TELEGRAM_API_BASE_URL=telegram.base_url, OPERATORS_CHAT_ID=str(OPERATORS_CHAT))
    try:
        running = start_stack(["serve"], env)
    except BaseException:
        redis.stop()
        telegram.stop()
        raise
    try:
        yield {"ports": ports, "env": env, "output": running.output, "rest_secret": REST_SECRET,
               "telegram": telegram, "telegram_secret": TELEGRAM_SECRET,
               "operators_chat": OPERATORS_CHAT}  # fmt: skip
    finally:
        running.stop()
        redis.stop()
        telegram.stop()
