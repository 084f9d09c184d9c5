"""Fast tests of what both channels share: splitting, buttons, rendering, guards, credentials."""

from __future__ import annotations

import asyncio
import json
import unicodedata

import pytest

from bot.channels import channel_credentials
from bot.channels.common import (
    MAX_BODY_BYTES,
    BackgroundWorker,
    BadRequest,
    Button,
    rasa_text,
    read_json,
    render,
    secret_matches,
    shorten_payload,
    split_text,
    trim,
    utf16_len,
)

THAI = "ช่วยด้วย โดนขังอยู่ ออกไปไม่ได้ "  # with spaces
THAI_RUN = "ที่นี่ไม่ปลอดภัยเลยครับช่วยด้วย"  # no spaces at all, full of combining marks


def _no_dangling_marks(parts: list[str]) -> bool:
    return all(unicodedata.category(part[0]) not in ("Mn", "Mc") for part in parts)


def test_short_text_is_one_part_and_empty_is_none() -> None:
    assert split_text("hello", 10) == ["hello"]
    assert split_text("   ", 10) == []
    assert split_text("", 10) == []


def test_split_prefers_paragraphs_then_lines_then_words() -> None:
    text = "first paragraph here.\n\nsecond paragraph is here."
    assert split_text(text, 30) == ["first paragraph here.", "second paragraph is here."]
    lines = "line one is here\nline two is here\nline three"
    assert split_text(lines, 20) == ["line one is here", "line two is here", "line three"]
    words = "alpha beta gamma delta epsilon"
    parts = split_text(words, 12)
    assert all(len(p) <= 12 for p in parts)
    assert " ".join(parts) == words


@pytest.mark.parametrize("limit", [7, 50, 4096])
def test_split_keeps_every_character_within_the_limit(limit: int) -> None:
    text = (THAI * 400) + "\n" + ("word " * 900) + THAI_RUN * 300
    parts = split_text(text, limit)
    assert all(0 < len(p) <= limit for p in parts)
    assert "".join(text.split()) == "".join("".join(parts).split())  # nothing lost
    assert _no_dangling_marks(parts)


def test_split_measures_in_utf16_for_telegram() -> None:
    text = "😀" * 5000  # 2 UTF-16 units each
    parts = split_text(text, 4096, utf16_len)
    assert all(utf16_len(p) <= 4096 for p in parts)
    assert "".join(parts) == text
    assert all(not ("\ud800" <= p[-1] <= "\udbff") for p in parts)


def test_trim_keeps_marks_with_their_letters() -> None:
    assert trim("Check a job offer", 20) == "Check a job offer"
    long = trim("ตรวจสอบข้อเสนองานที่ได้รับมา", 20)
    assert len(long) <= 20 and long.endswith("…")
    for title in ["ကျွန်ုပ်ကိုကူညီပါ အကူအညီ", "ជួយខ្ញុំផងការងារនៅបរទេស", "ຊ່ວຍແດ່ວຽກຢູ່ຕ່າງປະເທດ"]:
        cut = trim(title, 10)
        assert len(cut) <= 10
        rest = title[len(cut) - 1 :]
        assert not rest or unicodedata.category(rest[0]) not in ("Mn", "Mc")


def test_shorten_payload_keeps_the_intent() -> None:
    assert shorten_payload("/menu", 64) == "/menu"
    long = '/choose_language{"language": "' + "x" * 100 + '"}'
    assert shorten_payload(long, 64) == "/choose_language"
    assert len(shorten_payload("ก" * 100, 64).encode()) <= 64


def test_render_text_buttons_image_custom() -> None:
    buttons = [{"title": "Check", "payload": "/check_offer"}, {"title": "Help"}, "junk", {}]
    out = render({"text": "a " * 60, "buttons": buttons, "image": "https://x/y.png"}, 50)
    assert [o.buttons for o in out[:-2]] == [[]] * (len(out) - 2)
    assert out[-2].buttons == [Button("Check", "/check_offer"), Button("Help", "Help")]
    assert out[-1].image == "https://x/y.png" and not out[-1].text
    only_buttons = render({"buttons": buttons[:1]}, 50)
    assert only_buttons[0].text and only_buttons[0].buttons
    assert render({"custom": {"text": "hi", "buttons": buttons[:1]}}, 50)[0].text == "hi"
    assert render({"custom": {"payload": "x"}}, 50) == []
    assert render({"text": None, "buttons": "nope", "image": "javascript:x"}, 50) == []


def test_rasa_text_for_messages_without_text() -> None:
    assert rasa_text("hi", {}) == "hi"
    assert rasa_text("", {"has_photo": True}) == "/job_offer"
    assert rasa_text("  ", {"unsupported": "sticker"}) == "/menu"


def test_buttons_of_old_messages_still_work() -> None:
    # Replies sent before `alerts` replaced subscribe/unsubscribe carry these payloads.
    assert rasa_text("/unsubscribe", {}) == '/alerts{"alerts_choice": "stop"}'
    assert rasa_text("/subscribe", {}) == '/alerts{"alerts_choice": "start"}'
    assert rasa_text("please /unsubscribe me", {}) == "please /unsubscribe me"


def test_read_json_rejects_by_kind() -> None:
    assert read_json(b'{"a": 1}') == {"a": 1}
    for body, kind in [
        (b"", "empty body"),
        (b"\xff\xfe\x00", "not UTF-8"),
        (b'{"a": ', "invalid JSON"),
        (b"[1, 2]", "not a JSON object"),
        (b"[" * 100_000 + b"]" * 100_000, None),
        (b" " * (MAX_BODY_BYTES + 1), "body too large"),
    ]:
        with pytest.raises(BadRequest) as problem:
            read_json(body)
        if kind:
            assert problem.value.kind == kind


def test_secret_matches() -> None:
    assert secret_matches("abc", "abc")
    assert not secret_matches("abd", "abc")
    assert not secret_matches(None, "abc")
    assert not secret_matches("", "")
    assert not secret_matches("ช่วย", "abc")


async def test_worker_keeps_order_per_conversation_and_survives_errors() -> None:
    worker = BackgroundWorker("test", max_pending=10)
    seen: list[str] = []

    async def job(name: str, delay: float, fail: bool = False) -> None:
        await asyncio.sleep(delay)
        if fail:
            raise ValueError("boom")
        seen.append(name)

    assert worker.submit("a", job("a1", 0.05, fail=True))
    assert worker.submit("a", job("a2", 0.0))
    assert worker.submit("b", job("b1", 0.01))
    await worker.join()
    assert seen.index("a2") > seen.index("b1")  # a2 waited for a1; b ran meanwhile
    assert worker.pending == 0
    assert worker.submit(["not", "hashable"], job("c1", 0.0))  # forged ids do not break it
    await worker.join()
    assert "c1" in seen


async def test_worker_refuses_beyond_its_bound() -> None:
    worker = BackgroundWorker("test", max_pending=2)
    assert worker.submit(1, asyncio.sleep(0.01))
    assert worker.submit(2, asyncio.sleep(0.01))
    assert not worker.has_room()
    assert not worker.submit(3, asyncio.sleep(0.01))
    await worker.join()


def test_channel_credentials(capsys: pytest.CaptureFixture[str]) -> None:
    assert channel_credentials({}) == {}
    telegram = {"TELEGRAM_BOT_TOKEN": "123:tok", "TELEGRAM_WEBHOOK_SECRET": "s3cret-value"}
    sections = channel_credentials(telegram)
    assert list(sections) == ["bot.channels.telegram.channel.TelegramInput"]
    messenger = {
        "MESSENGER_PAGE_TOKEN": "page-tok",
        "MESSENGER_APP_SECRET": "app-secret",
        "MESSENGER_VERIFY_TOKEN": "verify-me",
        "MESSENGER_GRAPH_URL": "http://127.0.0.1:9/v19.0",
    }
    both = channel_credentials({**telegram, **messenger})
    assert set(both) == {
        "bot.channels.telegram.channel.TelegramInput",
        "bot.channels.messenger.channel.MessengerInput",
    }
    dumped = json.dumps(both)
    for secret in ["123:tok", "s3cret-value", "page-tok", "app-secret", "verify-me"]:
        assert secret not in dumped  # secrets stay in the environment
    capsys.readouterr()
    assert channel_credentials({"TELEGRAM_BOT_TOKEN": "123:tok"}) == {}
    assert "TELEGRAM_WEBHOOK_SECRET" in capsys.readouterr().err
    assert channel_credentials({**telegram, "TELEGRAM_WEBHOOK_SECRET": "bad secret!"}) == {}
    assert channel_credentials({"MESSENGER_PAGE_TOKEN": "x"}) == {}
    err = capsys.readouterr().err
    assert "MESSENGER_APP_SECRET" in err and "123:tok" not in err
