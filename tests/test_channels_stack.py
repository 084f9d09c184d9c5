"""Telegram and Messenger through the real stack (`python -m bot serve --no-webchat`).

The platforms post to the channel gateway; the Bot API and the Graph API are fakes on loopback
ports that record every request; the gateway, the Rasa server, the action server and Redis are
real.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import os
import random
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.ports import free_port
from bot.redis_server import EmbeddedRedis
from tests.fakes.servers import FakeGraph, FakeTelegram, Recorded
from tests.helpers import start_stack

ROOT = Path(__file__).resolve().parent.parent
UPDATES = json.loads((Path(__file__).parent / "fakes" / "telegram_updates.json").read_text())
TOKEN = "123456:TEST-token_for-the-fake"
SECRET = "stack-test-secret_0123456789"
PAGE_TOKEN = "page-token-for-the-fake"
APP_SECRET = "app-secret-for-the-fake"
VERIFY = "verify-token-for-the-fake"
OPERATORS_CHAT = -1009999
THAI = re.compile(r"[\u0e00-\u0e7f]")
NUMBER = re.compile(r"\d[\d\s-]{2,}\d")

pytestmark = pytest.mark.slow
REDIS_TARGETS: list[Any] = []  # the stack's Redis, for tests that look inside


@pytest.fixture(scope="module")
def fakes() -> Iterator[tuple[FakeTelegram, FakeGraph]]:
    telegram, graph = FakeTelegram().start(), FakeGraph().start()
    yield telegram, graph
    telegram.stop()
    graph.stop()


@pytest.fixture(scope="module")
def rasa(
    fakes: tuple[FakeTelegram, FakeGraph], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    if not any((ROOT / "models").glob("*.tar.gz")):
        pytest.skip("no trained model: run `make train`")
    telegram, graph = fakes
    redis = EmbeddedRedis(tmp_path_factory.mktemp("redis"))
    target = redis.start()
    port, gateway = free_port(), free_port()
    env = dict(
        os.environ,
        RASA_TELEMETRY_ENABLED="false",
        RASA_PORT=str(port),
        GATEWAY_PORT=str(gateway),
        ACTION_SERVER_PORT=str(free_port()),
        ADMIN_PORT=str(free_port()),
        REDIS_URL=f"redis://127.0.0.1:{target.port}/0",
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_WEBHOOK_SECRET=SECRET,
        TELEGRAM_API_BASE_URL=telegram.base_url,
        MESSENGER_PAGE_TOKEN=PAGE_TOKEN,
        MESSENGER_APP_SECRET=APP_SECRET,
        MESSENGER_VERIFY_TOKEN=VERIFY,
        MESSENGER_GRAPH_URL=graph.url,
        OPERATORS_CHAT_ID=str(OPERATORS_CHAT),
    )
    try:
        running = start_stack(["serve", "--no-webchat"], env)
    except BaseException:
        redis.stop()
        raise
    REDIS_TARGETS.append(target)
    yield f"http://127.0.0.1:{gateway}"  # where the platforms post: the channel gateway
    running.stop()
    redis.stop()
    for name in ("rasa", "gateway"):
        log = (ROOT / ".run" / "logs" / f"{name}.log").read_text(errors="replace")
        for secret in (TOKEN, SECRET, PAGE_TOKEN, APP_SECRET, VERIFY):
            assert secret not in log, f"a secret reached the {name} log"
        assert "ช่วยด้วย" not in log, f"message text reached the {name} log"


def _post(url: str, body: bytes, headers: dict[str, str]) -> int:
    request = urllib.request.Request(
        url, data=body, headers={"Content-Type": "application/json", **headers}, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def _telegram(rasa: str, update: dict[str, Any] | bytes, secret: str | None = SECRET) -> int:
    body = update if isinstance(update, bytes) else json.dumps(update).encode()
    headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret is not None else {}
    return _post(rasa + "/webhooks/telegram/webhook", body, headers)


def _sign(body: bytes, secret: str = APP_SECRET) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def _messenger(rasa: str, data: dict[str, Any] | bytes, secret: str | None = APP_SECRET) -> int:
    body = data if isinstance(data, bytes) else json.dumps(data).encode()
    headers = {"X-Hub-Signature-256": _sign(body, secret)} if secret is not None else {}
    return _post(rasa + "/webhooks/messenger/webhook", body, headers)


UPDATE_IDS = itertools.count(10_000)  # Telegram's update ids are unique (and deduplicated)


def _message(
    chat_id: int, text: str, language: str = "th", update_id: int | None = None
) -> dict[str, Any]:
    update_id = next(UPDATE_IDS) if update_id is None else update_id
    user = {"id": chat_id, "is_bot": False, "first_name": "U", "language_code": language}
    chat = {"id": chat_id, "type": "private", "first_name": "U"}
    message = {"message_id": 1, "date": int(time.time()), "chat": chat, "from": user, "text": text}
    return {"update_id": update_id, "message": message}


def _to_chat(chat_id: int) -> Any:
    return lambda r: r.method == "sendMessage" and str(r.params.get("chat_id")) == str(chat_id)


def _texts(records: list[Recorded]) -> str:
    return "\n".join(str(r.params.get("text", "")) for r in records)


def test_telegram_distress_gets_thai_hotlines(
    rasa: str, fakes: tuple[FakeTelegram, FakeGraph]
) -> None:
    telegram, _ = fakes
    started = time.monotonic()
    assert _telegram(rasa, _message(7001, "ช่วยด้วย โดนขังอยู่ ออกไปไม่ได้")) == 200
    assert time.monotonic() - started < 3  # answered before the model has run
    sent = telegram.wait_for(_to_chat(7001))
    assert sent, "no sendMessage for the chat"
    text = _texts(sent)
    assert THAI.search(text), text
    assert NUMBER.search(text), text  # a hotline number


def test_telegram_greeting_gets_an_inline_keyboard(
    rasa: str, fakes: tuple[FakeTelegram, FakeGraph]
) -> None:
    telegram, _ = fakes
    assert _telegram(rasa, _message(7002, "สวัสดีครับ")) == 200
    sent = telegram.wait_for(_to_chat(7002))
    assert THAI.search(_texts(sent))
    keyboards = [r.params["reply_markup"] for r in sent if r.params.get("reply_markup")]
    assert keyboards and keyboards[0]["inline_keyboard"][0][0]["callback_data"]


def test_telegram_callback_query_is_answered(
    rasa: str, fakes: tuple[FakeTelegram, FakeGraph]
) -> None:
    telegram, _ = fakes
    update = json.loads(json.dumps(UPDATES["callback"]))
    update["callback_query"]["id"] = "cbq-stack-1"
    update["callback_query"]["message"]["chat"]["id"] = 7003
    assert _telegram(rasa, update) == 200
    answered = telegram.wait_for(
        lambda r: (
            r.method == "answerCallbackQuery" and r.params.get("callback_query_id") == "cbq-stack-1"
        )
    )
    assert answered
    assert telegram.wait_for(_to_chat(7003))  # and the choice is acted on


def test_telegram_wrong_or_missing_secret_is_refused(
    rasa: str, fakes: tuple[FakeTelegram, FakeGraph]
) -> None:
    telegram, _ = fakes
    update = _message(7004, "ช่วยด้วย โดนขังอยู่")
    assert _telegram(rasa, update, secret=None) in (401, 403)
    assert _telegram(rasa, update, secret="wrong-secret") in (401, 403)
    assert _telegram(rasa, update, secret=SECRET + "x") in (401, 403)
    time.sleep(5)
    assert not [r for r in telegram.requests if "7004" in json.dumps(r.params)]


def test_telegram_polling_feeds_the_same_webhook(
    rasa: str, fakes: tuple[FakeTelegram, FakeGraph]
) -> None:
    telegram, _ = fakes
    env = dict(
        os.environ,
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_WEBHOOK_SECRET=SECRET,
        TELEGRAM_API_BASE_URL=telegram.base_url,
    )
    telegram.updates = [_message(7006, "สวัสดีครับ", update_id=500)]
    poller = subprocess.Popen(
        [sys.executable, "-m", "bot", "telegram", "poll", "--rasa-url", rasa],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert telegram.wait_for(_to_chat(7006)), "a polled update got no reply"
        assert telegram.calls("deleteWebhook")
        assert telegram.wait_for(
            lambda r: r.method == "getUpdates" and r.params.get("offset") == 501
        )
    finally:
        poller.send_signal(signal.SIGINT)
        output, _ = poller.communicate(timeout=30)
    assert poller.returncode == 0, output
    assert TOKEN not in output and SECRET not in output


def _messenger_batch(*items: dict[str, Any]) -> dict[str, Any]:
    return {"object": "page", "entry": [{"id": "page", "time": 1, "messaging": list(items)}]}


def _text_item(psid: str, text: str) -> dict[str, Any]:
    return {
        "sender": {"id": psid},
        "recipient": {"id": "page"},
        "message": {"mid": f"m.{next(UPDATE_IDS)}", "text": text},
    }


def _to_psid(psid: str) -> Any:
    return lambda r: (r.params.get("recipient") or {}).get("id") == psid


def test_messenger_signed_message_gets_a_reply(
    rasa: str, fakes: tuple[FakeTelegram, FakeGraph]
) -> None:
    _, graph = fakes
    distress = _text_item("psid-1", "ช่วยด้วย โดนขังอยู่ ออกไปไม่ได้")
    assert _messenger(rasa, _messenger_batch(distress)) == 200
    sent = graph.wait_for(_to_psid("psid-1"))
    assert sent and all(r.query.get("access_token") == PAGE_TOKEN for r in sent)
    text = "\n".join(r.params["message"].get("text", "") for r in sent)
    assert THAI.search(text) and NUMBER.search(text), text


def test_messenger_batch_and_quick_replies(
    rasa: str, fakes: tuple[FakeTelegram, FakeGraph]
) -> None:
    _, graph = fakes
    batch = _messenger_batch(_text_item("psid-2", "hello"), _text_item("psid-3", "hi there"))
    assert _messenger(rasa, batch) == 200
    for psid in ("psid-2", "psid-3"):
        sent = graph.wait_for(_to_psid(psid))
        quick = [q for r in sent for q in r.params["message"].get("quick_replies", [])]
        assert quick and all(len(q["title"]) <= 20 for q in quick)


def test_messenger_bad_signature_and_handshake(
    rasa: str, fakes: tuple[FakeTelegram, FakeGraph]
) -> None:
    _, graph = fakes
    body = _messenger_batch(_text_item("psid-4", "hello"))
    assert _messenger(rasa, body, secret="wrong-secret") == 403
    assert _messenger(rasa, body, secret=None) == 403
    url = rasa + "/webhooks/messenger/webhook?hub.mode=subscribe&hub.challenge=4711"
    with urllib.request.urlopen(url + f"&hub.verify_token={VERIFY}", timeout=10) as response:
        assert response.read() == b"4711"
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(url + "&hub.verify_token=nope", timeout=10)
    assert refused.value.code == 403
    time.sleep(5)
    assert not [r for r in graph.requests if _to_psid("psid-4")(r)]


# -- a thousand malformed or unexpected bodies ----------------------------------------------


def _mutate(value: Any, rng: random.Random) -> Any:
    """``value`` with one random node replaced by a value of a wrong type."""
    odd = [None, 0, -1, 1.5, True, "", "ช่วย" * 500, [], {}, [1, "a"], {"x": {"y": []}}]
    if isinstance(value, dict) and value and rng.random() < 0.8:
        key = rng.choice(list(value))
        return {**value, key: _mutate(value[key], rng)}
    if isinstance(value, list) and value and rng.random() < 0.8:
        index = rng.randrange(len(value))
        return value[:index] + [_mutate(value[index], rng)] + value[index + 1 :]
    return rng.choice(odd)


def _bad_bodies(samples: list[dict[str, Any]], count: int, seed: int) -> Iterator[bytes]:
    rng = random.Random(seed)
    for n in range(count):
        kind = n % 6
        sample = rng.choice(samples)
        if kind == 0:
            yield bytes(rng.randrange(256) for _ in range(rng.randrange(1, 400)))
        elif kind == 1:
            raw = json.dumps(sample).encode()
            yield raw[: rng.randrange(1, len(raw))]
        elif kind == 2:
            yield json.dumps(_mutate(sample, rng)).encode()
        elif kind == 3:
            yield json.dumps({"update_id": n, "object": "page", f"future_{n}": {"a": n}}).encode()
        elif kind == 4:
            depth = rng.choice([50, 1000, 20000])
            yield b'{"a":' * depth + b"1" + b"}" * depth
        else:
            yield rng.choice([b"", b"null", b"[]", b'"x"', b"1e999999", b"{}", b"\xef\xbb\xbf{}"])


def test_telegram_never_500_on_a_thousand_bad_bodies(
    rasa: str, fakes: tuple[FakeTelegram, FakeGraph]
) -> None:
    telegram, _ = fakes
    samples = list(UPDATES.values())
    statuses = [_telegram(rasa, body) for body in _bad_bodies(samples, 1000, seed=1)]
    assert 500 not in statuses and all(s < 500 or s == 503 for s in statuses), set(statuses)
    assert _telegram(rasa, b"garbage", secret=None) in (401, 403)
    assert _telegram(rasa, _message(7005, "สวัสดีครับ")) == 200
    assert telegram.wait_for(_to_chat(7005), timeout=180), "the server stopped answering"


def test_messenger_never_500_on_a_thousand_bad_bodies(
    rasa: str, fakes: tuple[FakeTelegram, FakeGraph]
) -> None:
    _, graph = fakes
    samples = [
        _messenger_batch(_text_item("psid-f", "hello")),
        _messenger_batch({"sender": {"id": "psid-f"}, "postback": {"payload": "/menu"}}),
        _messenger_batch({"sender": {"id": "psid-f"}, "message": {"attachments": [{"type": "x"}]}}),
    ]
    statuses = [_messenger(rasa, body) for body in _bad_bodies(samples, 1000, seed=2)]
    assert 500 not in statuses and all(s < 500 or s == 503 for s in statuses), set(statuses)
    assert _messenger(rasa, b"garbage", secret=None) == 403
    assert _messenger(rasa, _messenger_batch(_text_item("psid-5", "hello"))) == 200
    assert graph.wait_for(_to_psid("psid-5"), timeout=180), "the server stopped answering"


def _callback(chat_id: int, data: str, query_id: str) -> dict[str, Any]:
    user = {"id": chat_id, "is_bot": False, "first_name": "U", "language_code": "th"}
    chat = {"id": chat_id, "type": "private", "first_name": "U"}
    message = {"message_id": 2, "date": int(time.time()), "chat": chat, "text": "…"}
    return {
        "update_id": next(UPDATE_IDS),
        "callback_query": {"id": query_id, "from": user, "chat_instance": "1", "data": data,
                           "message": message},
    }  # fmt: skip


def _operator_says(text: str, update_id: int) -> dict[str, Any]:
    user = {"id": 42, "is_bot": False, "first_name": "Caseworker"}
    chat = {"id": OPERATORS_CHAT, "type": "supergroup", "title": "Operators"}
    message = {"message_id": 500 + update_id, "date": int(time.time()), "chat": chat,
               "from": user, "text": text}
    return {"update_id": update_id, "message": message}  # fmt: skip


def test_handover_consent_case_operator_reply_clear_chat_and_erase(
    rasa: str, fakes: tuple[FakeTelegram, FakeGraph]
) -> None:
    telegram, _ = fakes
    user = 7100
    # distress: hotline and the offer of a caseworker in the first reply
    assert _telegram(rasa, _message(user, "ช่วยด้วย โดนขังอยู่ ออกไปไม่ได้ ยึดพาสปอร์ต")) == 200
    first = telegram.wait_for(_to_chat(user))
    assert NUMBER.search(str(first[0].params.get("text"))), "hotline first"
    keyboards = [r.params.get("reply_markup") for r in first if r.params.get("reply_markup")]
    assert any("consent" in json.dumps(k) for k in keyboards), "consent buttons offered"

    # consent, sharing the words: a case reaches the operators' chat with them
    count = len(telegram.calls("sendMessage"))
    consent = '/affirm{"consent": "with_words"}'
    assert _telegram(rasa, _callback(user, consent, "cbq-consent")) == 200
    to_operators = telegram.wait_for(_to_chat(OPERATORS_CHAT), timeout=60)
    assert to_operators, "the notifier did not deliver the case"
    case_text = _texts(to_operators)
    case_id = re.search(r"\b([0-9A-F]{8})\b", case_text).group(1)
    assert "โดนขังอยู่" in case_text  # the user agreed to share their words
    assert str(user) not in case_text  # never the user's id
    confirmation = [r for r in telegram.calls("sendMessage")[count:] if _to_chat(user)(r)]
    assert any(case_id in str(r.params.get("text")) for r in confirmation)

    # the operator replies; the user wrote a moment ago, so it is delivered at once
    assert _telegram(rasa, _operator_says(f"/reply {case_id} เราจะช่วยคุณ", next(UPDATE_IDS))) == 200
    relayed = telegram.wait_for(
        lambda r: _to_chat(user)(r) and "เราจะช่วยคุณ" in str(r.params.get("text"))
    )
    assert relayed, "operator reply not relayed to the user"
    acknowledged = telegram.wait_for(
        lambda r: _to_chat(OPERATORS_CHAT)(r) and case_id in str(r.params.get("text"))
        and r not in to_operators
    )
    assert acknowledged

    # clear-chat deletes the conversation's messages the bot may delete
    assert _telegram(rasa, _message(user, "/clear")) == 200
    deleted = telegram.wait_for(
        lambda r: r.method == "deleteMessages" and str(r.params.get("chat_id")) == str(user)
    )
    assert deleted and len(json.loads(json.dumps(deleted[0].params["message_ids"]))) >= 3

    # erase: the stored conversation and the case are gone
    redis = REDIS_TARGETS[0].client()
    assert redis.exists(f"safejobs:tracker:telegram:{user}")
    assert _telegram(rasa, _message(user, "/erase")) == 200
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and redis.exists(f"safejobs:tracker:telegram:{user}"):
        time.sleep(0.2)
    assert not redis.exists(f"safejobs:tracker:telegram:{user}")
    assert not redis.exists(f"safejobs:case:{case_id}")
