"""The channel gateway as a real process: answers at once while Rasa is down, then normally.

``python -m bot gateway`` runs with a real Redis and the fake Telegram and Graph APIs; Rasa is a
stub of its relay input that can be "down" (503 on its health check and webhook). Slow: it starts
a process that imports Rasa's channel classes.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest

from bot.i18n import t
from bot.ports import free_port
from bot.redis_server import RedisTarget
from tests.fakes.servers import FakeGraph, FakeServer, FakeTelegram

pytestmark = pytest.mark.slow

SECRET = "gateway-test-secret"
APP_SECRET = "gateway-app-secret"
REST_SECRET = "relay-secret"
DISTRESS_TH = "ช่วยด้วย โดนขังอยู่ ออกไปไม่ได้"


class StubRasa(FakeServer):
    """Rasa's relay input: answers ``answer`` while up, 503 while down; records what it got."""

    def __init__(self) -> None:
        self.up = False
        super().__init__(self._respond)

    def _respond(self, method: str, params: dict[str, Any]) -> tuple[int, Any]:
        if not self.up:
            return 503, {"status": "loading"}
        if method.endswith("/webhook"):
            return 200, [{"recipient_id": params.get("sender"), "text": "answer",
                          "buttons": [{"title": "Yes", "payload": "/affirm"}]}]  # fmt: skip
        return 200, {"status": "ok"}


def _post(url: str, body: bytes, headers: dict[str, str]) -> int:
    request = urllib.request.Request(
        url, data=body, headers={"Content-Type": "application/json", **headers}, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


@pytest.fixture
def gateway(
    redis_target: RedisTarget,
) -> Iterator[tuple[str, FakeTelegram, FakeGraph, StubRasa]]:
    redis_target.client().flushdb()
    telegram, graph, rasa = FakeTelegram().start(), FakeGraph().start(), StubRasa().start()
    port = free_port()
    env = dict(
        os.environ,
        RASA_TELEMETRY_ENABLED="false",
        REDIS_URL=f"redis://127.0.0.1:{redis_target.port}/0",
        RASA_URL=rasa.url,
        REST_CHANNEL_SECRET=REST_SECRET,
        TELEGRAM_BOT_TOKEN="1:gateway-token",
        TELEGRAM_WEBHOOK_SECRET=SECRET,
        TELEGRAM_API_BASE_URL=telegram.base_url,
        MESSENGER_PAGE_TOKEN="page-token",
        MESSENGER_APP_SECRET=APP_SECRET,
        MESSENGER_VERIFY_TOKEN="verify",
        MESSENGER_GRAPH_URL=graph.url,
        INTAKE_CONSUMER="gateway-test",
    )
    env.pop("ACTION_ENDPOINT_URL", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "gateway", "--port", str(port)], env=env,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and process.poll() is None:
            try:
                with urllib.request.urlopen(url + "/", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                time.sleep(0.3)
        else:
            pytest.fail("the gateway did not start:\n" + (process.stdout.read() if
                                                          process.stdout else ""))  # fmt: skip
        yield url, telegram, graph, rasa
    finally:
        process.terminate()
        try:
            output, _ = process.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            output, _ = process.communicate()
        for server in (telegram, graph, rasa):
            server.stop()
    assert DISTRESS_TH not in output and "gateway-token" not in output, "leaked into the log"


def _update(update_id: int, chat: int, text: str, language: str = "th") -> bytes:
    user = {"id": chat, "is_bot": False, "first_name": "U", "language_code": language}
    message = {"message_id": 1, "date": int(time.time()), "text": text, "from": user,
               "chat": {"id": chat, "type": "private", "first_name": "U"}}  # fmt: skip
    return json.dumps({"update_id": update_id, "message": message}).encode()


def _texts(telegram: FakeTelegram, chat: int) -> list[str]:
    return [str(r.params.get("text")) for r in telegram.calls("sendMessage")
            if str(r.params.get("chat_id")) == str(chat)]  # fmt: skip


def _wait(condition: Any, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def test_rasa_down_distress_gets_hotlines_at_once_then_the_normal_answer(
    gateway: tuple[str, FakeTelegram, FakeGraph, StubRasa],
) -> None:
    url, telegram, _, rasa = gateway
    headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
    hook = url + "/webhooks/telegram/webhook"
    assert _post(hook, _update(1, 301, DISTRESS_TH), headers) == 200
    assert _post(hook, _update(2, 302, "hello", "en"), headers) == 200
    sent = time.monotonic()
    assert _wait(lambda: _texts(telegram, 301) and _texts(telegram, 302), 10)
    assert time.monotonic() - sent < 5, "the degraded answer took too long"
    assert _texts(telegram, 301)[0].startswith(t("th", "contacts.call"))  # hotlines
    assert _texts(telegram, 302) == [t("en", "degraded.unavailable")]
    assert _post(hook, _update(1, 301, DISTRESS_TH), headers) == 200  # a resend: deduplicated

    rasa.up = True  # Rasa is back: the stored updates are processed normally, once
    assert _wait(lambda: "answer" in _texts(telegram, 301) and "answer" in _texts(telegram, 302),
                 40)  # fmt: skip
    time.sleep(3)
    assert [x for x in _texts(telegram, 301) if x == "answer"] == ["answer"]
    assert len(_texts(telegram, 301)) == 2 and len(_texts(telegram, 302)) == 2
    relayed = [r.params for r in rasa.calls("/webhooks/relay/webhook")]
    assert {r["sender"] for r in relayed} == {"telegram:301", "telegram:302"}
    assert {r["metadata"]["update_key"] for r in relayed} == {"telegram:1", "telegram:2"}
    buttons = telegram.calls("sendMessage")[-1].params.get("reply_markup")
    assert buttons and "/affirm" in json.dumps(buttons)


def test_gateway_checks_secrets_and_signatures(
    gateway: tuple[str, FakeTelegram, FakeGraph, StubRasa],
) -> None:
    url, telegram, graph, rasa = gateway
    rasa.up = True
    hook = url + "/webhooks/telegram/webhook"
    bad = {"X-Telegram-Bot-Api-Secret-Token": SECRET + "x"}
    assert _post(hook, _update(3, 303, "hello", "en"), bad) == 403
    assert _post(hook, b"x" * 600_000, {"X-Telegram-Bot-Api-Secret-Token": SECRET}) in (400, 413)
    item = {"sender": {"id": "psid-9"}, "recipient": {"id": "page"},
            "message": {"mid": "m.gw.1", "text": "hello"}}  # fmt: skip
    body = json.dumps({"object": "page", "entry": [{"id": "page", "messaging": [item]}]}).encode()
    signature = "sha256=" + hmac.new(APP_SECRET.encode(), body, hashlib.sha256).hexdigest()
    messenger = url + "/webhooks/messenger/webhook"
    assert _post(messenger, body, {"X-Hub-Signature-256": "sha256=" + "0" * 64}) == 403
    assert _post(messenger, body, {"X-Hub-Signature-256": signature}) == 200
    assert graph.wait_for(lambda r: (r.params.get("recipient") or {}).get("id") == "psid-9", 20)
    relayed = rasa.calls("/webhooks/relay/webhook")
    assert [r.params["sender"] for r in relayed] == ["messenger:psid-9"]
    time.sleep(1)
    assert not _texts(telegram, 303)
