"""The whole stack as a user starts it: `python -m bot run` with real Rasa, actions and Redis."""

from __future__ import annotations

import http.cookiejar
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.i18n import t
from bot.ports import free_port
from bot.redis_server import EmbeddedRedis, RedisTarget
from tests.helpers import start_stack

ROOT = Path(__file__).resolve().parent.parent
REST_SECRET = "stack-test-rest-secret"
DISTRESS = "ช่วยด้วย โดนขังอยู่ ออกไปไม่ได้ ยึดพาสปอร์ต"


def _post(
    url: str, body: dict, secret: str | None = REST_SECRET, opener: Any = None
) -> list | dict:
    """POST JSON; the REST channel's secret header unless ``secret`` is None."""
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers["X-Safejobs-Rest-Secret"] = secret
    request = urllib.request.Request(url, data=json.dumps(body).encode(), headers=headers)
    with (opener or urllib.request.build_opener()).open(request, timeout=60) as response:
        return json.loads(response.read())


def _env(**extra: str) -> dict[str, str]:
    env = dict(os.environ, RASA_TELEMETRY_ENABLED="false")
    env.pop("REDIS_URL", None)
    env.update(extra)
    return env


@pytest.fixture(scope="module")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisTarget]:
    server = EmbeddedRedis(tmp_path_factory.mktemp("redis"))
    yield server.start()
    server.stop()


@pytest.fixture(scope="module")
def stack(redis_server: RedisTarget) -> Iterator[dict[str, int]]:
    ports = {"rasa": free_port(), "actions": free_port(), "webchat": free_port()}
    env = _env(
        RASA_PORT=str(ports["rasa"]),
        ACTION_SERVER_PORT=str(ports["actions"]),
        WEBCHAT_PORT=str(ports["webchat"]),
        ADMIN_PORT=str(free_port()),
        REDIS_URL=f"redis://127.0.0.1:{redis_server.port}/0",
        TRACKER_RECORD_EXP="3600",
        REST_CHANNEL_SECRET=REST_SECRET,
        WEBCHAT_RATE_PER_MINUTE="6",
        WEBCHAT_RATE_PER_MINUTE_PER_ADDRESS="0",
    )
    running = start_stack(["run"], env)
    ports["pid"] = running.process.pid
    yield ports
    running.stop()


@pytest.mark.slow
def test_hello_gets_greeting_and_buttons_over_rest(stack: dict[str, int]) -> None:
    replies = _post(
        f"http://127.0.0.1:{stack['rasa']}/webhooks/rest/webhook",
        {"sender": "stack-test-1", "message": "hello"},
    )
    texts = [r.get("text") for r in replies]
    assert t("en", "greet.welcome") in texts
    assert any(r.get("buttons") for r in replies)


@pytest.mark.slow
def test_web_chat_page_and_relay(stack: dict[str, int]) -> None:
    base = f"http://127.0.0.1:{stack['webchat']}"
    with urllib.request.urlopen(base + "/", timeout=10) as response:
        assert b'id="log"' in response.read()
    strings = json.loads(urllib.request.urlopen(base + "/api/strings?lang=km", timeout=10).read())
    assert strings["send"] == t("km", "webchat.send")
    replies = _post(base + "/api/message", {"sender": "stack-test-2", "message": "hello"})
    assert t("en", "greet.welcome") in [r.get("text") for r in replies]
    # a choice by button, then the menu in that language
    replies = _post(
        base + "/api/message",
        {"sender": "stack-test-2", "message": '/change_language{"language": "km"}'},
    )
    assert t("km", "language.set") in [r.get("text") for r in replies]
    with pytest.raises(urllib.error.HTTPError) as bad:
        _post(base + "/api/message", {"nothing": 1})
    assert bad.value.code == 400


@pytest.mark.slow
def test_distress_gets_a_hotline_in_the_first_reply(stack: dict[str, int]) -> None:
    replies = _post(
        f"http://127.0.0.1:{stack['rasa']}/webhooks/rest/webhook",
        {"sender": "stack-test-3", "message": "ช่วยด้วย โดนขังอยู่ ออกไปไม่ได้ ยึดพาสปอร์ต"},
    )
    first = replies[0]["text"]
    assert any(ch.isdigit() for ch in first)


@pytest.mark.slow
def test_conversations_are_in_redis_and_expire(
    stack: dict[str, int], redis_server: RedisTarget
) -> None:
    _post(
        f"http://127.0.0.1:{stack['rasa']}/webhooks/rest/webhook",
        {"sender": "stack-test-4", "message": "hi"},
    )
    client = redis_server.client()
    key = "safejobs:tracker:rest:stack-test-4"  # a bare REST sender is kept in its channel
    assert client.exists(key)
    assert 0 < client.ttl(key) <= 3600


@pytest.mark.slow
def test_restart_starts_a_fresh_conversation(stack: dict[str, int]) -> None:
    url = f"http://127.0.0.1:{stack['rasa']}/webhooks/rest/webhook"
    _post(url, {"sender": "stack-test-6", "message": '/change_language{"language": "vi"}'})
    _post(url, {"sender": "stack-test-6", "message": "/restart"})
    replies = _post(url, {"sender": "stack-test-6", "message": "hello"})
    assert t("en", "greet.welcome") in [r.get("text") for r in replies]  # language forgotten


def _khmer_share(text: str) -> float:
    letters = [ch for ch in text if ch.isalpha()]
    return sum("\u1780" <= ch <= "\u17ff" for ch in letters) / max(1, len(letters))


@pytest.mark.slow
def test_a_conversation_in_khmer_is_answered_in_khmer(stack: dict[str, int]) -> None:
    url = f"http://127.0.0.1:{stack['rasa']}/webhooks/rest/webhook"
    sender = "stack-test-km"
    greeting = _post(url, {"sender": sender, "message": "ជំរាបសួរ ខ្ញុំចង់សួរពីការងារនៅបរទេស"})
    topics = _post(url, {"sender": sender, "message": "/ask_faq"})
    assert len(topics[0]["buttons"]) >= 12
    answer = _post(url, {"sender": sender, "message": topics[0]["buttons"][0]["payload"]})
    for reply in greeting + topics + answer:
        if reply.get("text"):
            assert _khmer_share(reply["text"]) > 0.6, reply["text"]
        for button in reply.get("buttons") or []:
            assert _khmer_share(button["title"]) > 0.8, button["title"]


@pytest.mark.slow
def test_a_long_conversation_starts_new_sessions_and_keeps_its_language(
    stack: dict[str, int], redis_server: RedisTarget
) -> None:
    url = f"http://127.0.0.1:{stack['rasa']}/webhooks/rest/webhook"
    sender = "stack-test-long"
    _post(url, {"sender": sender, "message": '/change_language{"language": "km"}'})
    for _ in range(15):  # more than TRACKER_SESSION_EVENTS (40) events
        menu = _post(url, {"sender": sender, "message": "/menu"})
    assert menu and all(_khmer_share(r["text"]) > 0.6 for r in menu if r.get("text"))
    stored = redis_server.client().lrange(f"safejobs:tracker:rest:{sender}", 0, -1)
    events = [json.loads(e) for e in stored]
    assert sum(1 for e in events if e.get("metadata", {}).get("carried_over_by_store")) >= 1
    assert sum(1 for e in events if e["event"] == "user") == 16  # every message kept


@pytest.mark.slow
def test_bad_input_never_crashes(stack: dict[str, int]) -> None:
    url = f"http://127.0.0.1:{stack['rasa']}/webhooks/rest/webhook"
    for message in ["", "👍👍", "\x00\x01\x02", "a" * 20000, "ok ไทย 中文 ខ្មែរ mixed"]:
        replies = _post(url, {"sender": "stack-test-5", "message": message})
        assert isinstance(replies, list)


@pytest.mark.slow
def test_the_rest_channel_needs_the_secret_and_keeps_ids_in_their_lane(
    stack: dict[str, int], redis_server: RedisTarget
) -> None:
    url = f"http://127.0.0.1:{stack['rasa']}/webhooks/rest/webhook"
    for secret in (None, "wrong"):
        with pytest.raises(urllib.error.HTTPError) as refused:
            _post(url, {"sender": "x", "message": "hi"}, secret=secret)
        assert refused.value.code == 403
    with pytest.raises(urllib.error.HTTPError) as foreign:
        _post(url, {"sender": "telegram:4242", "message": "/erase_data"})
    assert foreign.value.code == 400
    _post(url, {"sender": "lane", "message": "hi", "input_channel": "telegram"})
    client = redis_server.client()
    assert client.exists("safejobs:tracker:rest:lane")
    events = [json.loads(e) for e in client.lrange("safejobs:tracker:rest:lane", 0, -1)]
    assert {e.get("input_channel") for e in events if e.get("event") == "user"} == {"rest"}


@pytest.mark.slow
def test_a_web_chat_naming_a_telegram_chat_gets_a_fresh_conversation(
    stack: dict[str, int], redis_server: RedisTarget
) -> None:
    client = redis_server.client()
    client.set("safejobs:tracker:telegram:4242", b"someone else's conversation")
    base = f"http://127.0.0.1:{stack['webchat']}"
    jar = http.cookiejar.CookieJar()
    browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    browser.open(base + "/", timeout=10).read()
    (cookie,) = [c for c in jar if c.name == "safejobs_chat"]
    mine = cookie.value.split(".")[0]
    for sender in ("telegram:4242", "4242"):
        replies = _post(base + "/api/message", {"sender": sender, "message": "hello"},
                        None, browser)
        assert t("en", "greet.welcome") in [r.get("text") for r in replies]  # fresh
        _post(base + "/api/message", {"sender": sender, "message": "/erase_data"}, None, browser)
    assert client.get("safejobs:tracker:telegram:4242") == b"someone else's conversation"
    assert not client.exists("safejobs:tracker:4242")
    _post(base + "/api/message", {"message": '/change_language{"language": "km"}'}, None, browser)
    assert client.exists(f"safejobs:tracker:web:{mine}")  # the server's id, kept by the cookie
    replies = _post(base + "/api/message", {"message": "/menu"}, None, browser)
    assert any(_khmer_share(r.get("text") or "") > 0.6 for r in replies)
    forged = urllib.request.build_opener()
    forged.addheaders = [("Cookie", f"safejobs_chat={mine}.forged-signature")]
    replies = _post(base + "/api/message", {"message": "/menu"}, None, forged)
    assert not any(_khmer_share(r.get("text") or "") > 0.6 for r in replies)  # not that chat


@pytest.mark.slow
def test_the_web_chat_slows_a_flood_but_never_silences_distress(stack: dict[str, int]) -> None:
    base = f"http://127.0.0.1:{stack['webchat']}"
    browser = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    for _ in range(6):
        _post(base + "/api/message", {"message": "hi"}, None, browser)
    with pytest.raises(urllib.error.HTTPError) as slow:
        _post(base + "/api/message", {"message": "hi", "language": "vi"}, None, browser)
    assert slow.value.code == 429
    assert json.loads(slow.value.read()) == [{"text": t("vi", "webchat.slow_down")}]
    replies = _post(base + "/api/message", {"message": DISTRESS}, None, browser)
    assert any(ch.isdigit() for ch in replies[0]["text"])  # the hotlines, over the limit


def _browser() -> Any:
    return urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )


@pytest.mark.slow
def test_attack_messages_do_not_hold_another_users_distress_reply(stack: dict[str, int]) -> None:
    """Issue #11's attack messages and a 4,000-character message of each script, each from its
    own conversation, while another person's cry for help is answered within a second."""
    from concurrent.futures import ThreadPoolExecutor

    from bot.engines.adversarial import SCRIPT_LETTERS

    base = f"http://127.0.0.1:{stack['webchat']}/api/message"
    attacks = [
        "कोशी प्रदेश" + "कखगघङ" * 26,  # a Nepali place name followed by letters (135 chars)
        "ช่วย" + "กขคง " * 40,
        "help me " + "aaaa " * 40 + "#",
        *[(letters * 200)[:4000] for letters in SCRIPT_LETTERS.values()],
    ]
    victim = _browser()
    _post(base, {"message": "hello"}, None, victim)  # an existing conversation
    with ThreadPoolExecutor(max_workers=len(attacks)) as pool:
        pending = [pool.submit(_post, base, {"message": text}, None, _browser())
                   for text in attacks]
        time.sleep(0.3)  # the attack is in flight
        started = time.perf_counter()
        replies = _post(base, {"message": DISTRESS}, None, victim)
        waited = time.perf_counter() - started
        for future in pending:
            assert isinstance(future.result(timeout=120), list)  # every attacker answered too
    assert any(ch.isdigit() for ch in replies[0]["text"]), replies
    assert waited < 1.0, f"the cry for help waited {waited:.2f} s behind the attack"


@pytest.mark.slow
def test_ctrl_c_stops_everything(stack: dict[str, int]) -> None:
    os.kill(stack["pid"], signal.SIGINT)
    deadline = time.monotonic() + 60
    stopped = False
    while not stopped and time.monotonic() < deadline:
        # waitpid, not kill(pid, 0): an exited child stays a zombie until reaped, and
        # kill(pid, 0) succeeds on a zombie (the test then waited its whole minute).
        try:
            stopped = os.waitpid(stack["pid"], os.WNOHANG)[0] != 0
        except ChildProcessError:  # already reaped
            stopped = True
        time.sleep(0.2)
    assert stopped, "the stack was still running 60 s after Ctrl-C"
    for name in ("rasa", "actions", "webchat"):
        with socket.socket() as sock:
            assert sock.connect_ex(("127.0.0.1", stack[name])) != 0, f"{name} still listening"


def _start_error(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", "serve"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_no_model_is_one_clear_line(tmp_path: Path) -> None:
    result = _start_error(_env(BOT_MODELS_DIR=str(tmp_path)))
    assert result.returncode == 1
    assert "no trained model" in result.stderr and "make train" in result.stderr
    assert "Traceback" not in result.stderr


def _fake_model_dir(tmp_path: Path) -> str:
    (tmp_path / "fake.tar.gz").write_bytes(b"")
    return str(tmp_path)


def test_port_in_use_is_one_clear_line(tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = _start_error(_env(BOT_MODELS_DIR=_fake_model_dir(tmp_path), RASA_PORT=str(port)))
    assert result.returncode == 1
    assert f"port {port}" in result.stderr and "RASA_PORT" in result.stderr
    assert "Traceback" not in result.stderr


def test_unreachable_redis_url_is_one_clear_line(tmp_path: Path) -> None:
    port = free_port()
    env = _env(
        BOT_MODELS_DIR=_fake_model_dir(tmp_path),
        RASA_PORT=str(free_port()),
        ACTION_SERVER_PORT=str(free_port()),
        WEBCHAT_PORT=str(free_port()),
        ADMIN_PORT=str(free_port()),
    )
    env["REDIS_URL"] = f"redis://:secret@127.0.0.1:{port}/0"
    result = _start_error(env)
    assert result.returncode == 1
    assert "unreachable" in result.stderr and "REDIS_URL" in result.stderr
    assert "secret" not in result.stderr  # the password is never printed
    assert "Traceback" not in result.stderr
