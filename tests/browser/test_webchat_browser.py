"""The web chat in a real browser (Debian chromium, phone-sized) against the real stack.

A cry for help in Thai and one in Burmese: the reply shows a number as a tap-to-call link
(``tel:``; in Burmese once the person tapped where they are), the buttons work, a caseworker's
reply (sent from the operators' chat, a fake Telegram) appears in the page, and the operators
are told the truth: "delivered" to the open Thai page, "waits until the chat is opened" for the
closed Burmese one, which shows the reply when it is opened again. The fonts chromium used are
checked (Thai, Burmese, colour emoji: no empty boxes) and screenshots are kept in
``results/webchat-*.png``.
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.i18n import country_name, t
from bot.webchat.replies import PRESENT_SECONDS
from tests.browser.chromium import CHROMIUM, CHROMIUM_ARGS

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "results"
TEL = re.compile(r"^tel:\+?\d{3,15}$")
CASE_ID = re.compile(r"\b([0-9A-F]{8})\b")
PHONE = {"viewport": {"width": 412, "height": 860}, "is_mobile": True, "has_touch": True}

pytestmark = pytest.mark.slow


@pytest.fixture
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        yield playwright


def _chat(browser: Any, locale: str) -> tuple[Any, str]:
    """A fresh phone browser (its own cookie) and the folder of its profile."""
    profile = tempfile.mkdtemp(prefix="webchat-browser-")
    context = browser.chromium.launch_persistent_context(
        profile, executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS, locale=locale,
        **PHONE)  # fmt: skip
    return context, profile


def _fonts(page: Any, selector: str) -> set[str]:
    """The platform fonts chromium used for the text of the first node matching ``selector``."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    assert node, selector
    fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    cdp.detach()
    return {f["familyName"] for f in fonts}


def _assert_script_font(page: Any, selector: str, font: str) -> None:
    """The text of ``selector`` was drawn with ``font`` (else it may be empty boxes)."""
    used = _fonts(page, selector)
    assert font in used, (f"{selector} drawn with {used}, not {font}: install the fonts with "
                          "make browser-deps (fonts-noto-core, fonts-noto-color-emoji)")


def _say(page: Any, text: str) -> None:
    page.fill("#text", text)
    page.press("#text", "Enter")


def _first_reply_has_a_tappable_number(page: Any) -> str:
    from playwright.sync_api import expect

    link = page.locator('.msg.bot a[href^="tel:"]').first
    expect(link).to_be_visible(timeout=60_000)
    href = link.get_attribute("href")
    assert TEL.match(href or ""), href
    assert re.sub(r"[^\d+]", "", link.inner_text()) == href.removeprefix("tel:")
    # a tap on it would dial: catch the navigation the tap starts, instead of leaving the page
    page.evaluate("""() => document.addEventListener('click', e => {
        const a = e.target.closest('a[href^="tel:"]');
        if (a) { e.preventDefault(); window.tapped = a.href; } }, true)""")
    link.tap()
    assert page.evaluate("window.tapped") == href
    return href


def _consent(page: Any, language: str) -> str:
    """Tap "Yes, with messages"; the case number from the confirmation."""
    from playwright.sync_api import expect

    page.locator(".buttons button", has_text=t(language, "consent.yes_with_words")).last.tap()
    confirmation = page.locator(".msg.bot", has_text=re.compile(r"[0-9A-F]{8}")).last
    expect(confirmation).to_be_visible(timeout=60_000)
    found = CASE_ID.search(confirmation.inner_text())
    assert found, confirmation.inner_text()
    return found.group(1)


def _operator_replies(stack: dict[str, Any], case_id: str, text: str, update_id: int) -> str:
    """A caseworker writes ``/reply`` in the operators' chat; what the bot answers there."""
    telegram = stack["telegram"]

    def to_operators(r: Any) -> bool:
        return (r.method == "sendMessage" and case_id in str(r.params.get("text"))
                and str(r.params.get("chat_id")) == str(stack["operators_chat"]))

    # A caseworker answers a case they were shown: the notifier delivers its card on its own
    # schedule, and a card that came after the reply was sent was taken for the answer (CI).
    assert telegram.wait_for(to_operators, timeout=30), "the case never reached the operators"
    before = len(telegram.requests)
    chat = {"id": stack["operators_chat"], "type": "supergroup", "title": "Operators"}
    message = {"message_id": 700 + update_id, "date": int(time.time()), "chat": chat,
               "from": {"id": 42, "is_bot": False, "first_name": "Caseworker"},
               "text": f"/reply {case_id} {text}"}  # fmt: skip
    body = json.dumps({"update_id": update_id, "message": message}).encode()
    request = urllib.request.Request(
        f"http://127.0.0.1:{stack['ports']['gateway']}/webhooks/telegram/webhook", data=body,
        headers={"Content-Type": "application/json",
                 "X-Telegram-Bot-Api-Secret-Token": stack["telegram_secret"]})  # fmt: skip
    with urllib.request.urlopen(request, timeout=60) as response:
        assert response.status == 200
    answers = telegram.wait_for(
        lambda r: r in telegram.requests[before:] and to_operators(r), timeout=30)
    assert answers, "the operators got no answer"
    return str(answers[-1].params["text"])


def test_thai_cry_for_help_number_buttons_and_a_live_caseworker_reply(
    stack: dict[str, Any], browser: Any
) -> None:
    from playwright.sync_api import expect

    SHOTS.mkdir(exist_ok=True)
    context, profile = _chat(browser, "th-TH")
    try:
        page = context.new_page()
        page.goto(f"http://127.0.0.1:{stack['ports']['webchat']}/")
        expect(page.locator("#title")).to_have_text(t("th", "webchat.title"))
        _say(page, "สวัสดี")
        menu = page.locator(".buttons button", has_text=t("th", "menu.help"))
        expect(menu).to_be_visible(timeout=60_000)
        menu.evaluate("b => b.setAttribute('data-check', 'menu')")
        _assert_script_font(page, "button[data-check=menu]", "Noto Color Emoji")  # 🆘
        _assert_script_font(page, "button[data-check=menu]", "Noto Sans Thai")
        _say(page, "ช่วยด้วย โดนขังอยู่ ออกไปไม่ได้ ยึดพาสปอร์ต")
        _first_reply_has_a_tappable_number(page)
        page.screenshot(path=str(SHOTS / "webchat-th-first-reply.png"), full_page=True)

        case_id = _consent(page, "th")
        answer = _operator_replies(stack, case_id, "เราได้รับเรื่องแล้ว โทรหาเราได้ที่ +66 2 245 7010", 801)
        assert answer == t("en", "operators.delivered", case_id=case_id)  # the page took it
        reply = page.locator(".msg.caseworker")
        expect(reply).to_contain_text("เราได้รับเรื่องแล้ว")
        expect(reply.locator('a[href="tel:+6622457010"]')).to_be_visible()
        _assert_script_font(page, ".msg.caseworker", "Noto Color Emoji")  # 💬
        page.screenshot(path=str(SHOTS / "webchat-th-caseworker.png"), full_page=True)
    finally:
        context.close()
        shutil.rmtree(profile, ignore_errors=True)


def test_burmese_cry_for_help_and_a_reply_waiting_for_the_chat_to_open(
    stack: dict[str, Any], browser: Any
) -> None:
    from playwright.sync_api import expect

    SHOTS.mkdir(exist_ok=True)
    context, profile = _chat(browser, "my-MM")
    try:
        page = context.new_page()
        url = f"http://127.0.0.1:{stack['ports']['webchat']}/"
        page.goto(url)
        expect(page.locator("#title")).to_have_text(t("my", "webchat.title"))
        _say(page, "ကယ်ကြပါဦး ကျနော်တို့ကို အခန်းထဲမှာ ပိတ်ထားတယ်")
        # nothing known of where they are: the caseworker first, and where are you? (buttons)
        thailand = page.locator(".buttons button", has_text=country_name("my", "TH")).first
        expect(thailand).to_be_visible(timeout=60_000)
        thailand.tap()
        _first_reply_has_a_tappable_number(page)
        _assert_script_font(page, ".msg.bot", "Noto Sans Myanmar")
        page.screenshot(path=str(SHOTS / "webchat-my-first-reply.png"), full_page=True)

        case_id = _consent(page, "my")
        page.goto("about:blank")  # the person leaves the chat
        time.sleep(PRESENT_SECONDS + 1)  # then the server takes the page as closed
        answer = _operator_replies(stack, case_id, "ကျွန်တော်တို့ ကူညီပါမယ်", 802)
        assert answer == t("en", "operators.queued_webchat", case_id=case_id)

        page.goto(url)  # the same browser opens the chat again: the reply is there
        expect(page.locator(".msg.caseworker")).to_contain_text("ကျွန်တော်တို့ ကူညီပါမယ်")
        page.screenshot(path=str(SHOTS / "webchat-my-caseworker.png"), full_page=True)
    finally:
        context.close()
        shutil.rmtree(profile, ignore_errors=True)
