"""The admin page in a real browser against the real stack (Debian chromium via Playwright).

A publisher, invited on the command line, signs in, adds a Vietnamese phrase to an indicator,
tries it on an offer, publishes; the running bot then flags an offer with that phrase on its
REST channel. A roll-back in the page makes the bot stop flagging it. Screenshots of every step
are left in ``.run/browser/`` to look at.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.browser.chromium import CHROMIUM, CHROMIUM_ARGS

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / ".run" / "browser"
PASSWORD = "a long test password 4 staff"
INDICATOR = "HIGH_PAY_LOW_SKILL"
PHRASE = "ngồi mát ăn bát vàng"  # "sit in the shade, eat from a golden bowl": easy money
OFFER = ("Cửa hàng ở Đà Nẵng tuyển nhân viên bán hàng, lương 8 triệu/tháng, "
         "ngồi mát ăn bát vàng, liên hệ chị Hoa.")

pytestmark = pytest.mark.slow


def _flag_texts() -> set[str]:
    data = yaml.safe_load((ROOT / "content/indicators.yml").read_text(encoding="utf-8"))
    entry = next(i for i in data["indicators"] if i["id"] == INDICATOR)
    return {text.strip() for text in entry["explanation"].values()}


def _bot_flags(stack: dict[str, Any]) -> bool:
    """Send the offer to the bot's REST channel; True when the reply explains the flag."""
    url = f"http://127.0.0.1:{stack['ports']['rasa']}/webhooks/rest/webhook"
    body = json.dumps({"sender": f"browser-{uuid.uuid4().hex[:8]}", "message": OFFER}).encode()
    request = urllib.request.Request(url, data=body, headers={
        "Content-Type": "application/json", "X-Safejobs-Rest-Secret": stack["rest_secret"]})
    with urllib.request.urlopen(request, timeout=60) as response:
        replies = json.loads(response.read())
    text = "\n".join(r.get("text") or "" for r in replies)
    return any(explanation in text for explanation in _flag_texts())


def _wait_for_bot(stack: dict[str, Any], flagged: bool, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while True:
        if _bot_flags(stack) == flagged:
            return
        if time.monotonic() > deadline:
            pytest.fail(f"the bot {'still does not flag' if flagged else 'still flags'} the "
                        f"offer after {seconds:.0f} s")
        time.sleep(1)


def _invite(stack: dict[str, Any]) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "bot", "admin", "add-user", "lan", "--role", "publisher"],
        cwd=ROOT, env={**stack["env"], "ADMIN_PUBLIC_URL": ""}, capture_output=True, text=True,
        timeout=60, check=True)
    link = re.search(r"http://localhost:\d+/invite/\S+", result.stdout)
    assert link, result.stdout + result.stderr
    return link.group(0).replace("localhost", "127.0.0.1")


def test_publisher_edits_tries_publishes_and_rolls_back(stack: dict[str, Any]) -> None:
    from playwright.sync_api import expect, sync_playwright

    admin_url = f"http://localhost:{stack['ports']['admin']}"
    assert any(admin_url in line for line in stack["output"]), stack["output"]
    link = _invite(stack)
    assert not _bot_flags(stack), "the phrase is already flagged: pick another one"
    SHOTS.mkdir(parents=True, exist_ok=True)
    profile = tempfile.mkdtemp(prefix="admin-browser-")
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            profile, executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS,
            viewport={"width": 1280, "height": 900})
        try:
            page = context.new_page()
            errors: list[str] = []
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)

            # invitation → password → sign in
            page.goto(link)
            page.fill("#password", PASSWORD)
            page.fill("#repeat", PASSWORD)
            page.click("button[type=submit]")
            expect(page.locator(".flash.ok")).to_contain_text("password is set")
            page.fill("#name", "lan")
            page.fill("#password", PASSWORD)
            page.screenshot(path=str(SHOTS / "01-login.png"))
            page.click("button[type=submit]")
            expect(page.locator("header .who")).to_contain_text("lan (publisher)")

            # the indicators and their translation status; edit the Vietnamese patterns
            page.click("header nav >> text=Indicators")
            expect(page.locator("table")).to_contain_text(INDICATOR)
            page.screenshot(path=str(SHOTS / "02-indicators.png"), full_page=True)
            page.click(f"a:has-text('{INDICATOR}')")
            area = page.locator("#p-vi")
            area.fill(area.input_value() + "\n" + PHRASE)
            page.click("button:has-text('Save to draft')")
            expect(page.locator(".flash.ok")).to_contain_text("Saved to the draft")
            expect(page.locator("#p-vi")).to_contain_text(PHRASE)
            page.screenshot(path=str(SHOTS / "03-edit.png"), full_page=True)

            # try it on an offer (and the samples) with the draft
            page.click("header nav >> text=Try a pattern")
            page.fill("#pattern", PHRASE)
            page.fill("#offers", OFFER)
            page.click("button:has-text('Try')")
            row = page.locator("tr[data-offer='#1']")
            expect(row.locator("mark")).to_have_text("ngoi mat an bat vang")
            expect(row.locator(".flags")).to_contain_text(INDICATOR)
            expect(page.locator("#results")).to_contain_text("matches 1 of")
            page.screenshot(path=str(SHOTS / "04-try.png"), full_page=True)

            # validate and publish
            page.click("header nav >> text=Draft & publish")
            page.click("button:has-text('Validate the draft')")
            expect(page.locator(".flash.ok")).to_contain_text("The draft is valid")
            page.fill("#note", "Vietnamese idiom for easy money")
            page.screenshot(path=str(SHOTS / "05-publish.png"), full_page=True)
            page.click("button:has-text('Publish the draft')")
            expect(page.locator(".flash.ok")).to_contain_text("Published as version 1")
            expect(page.locator("main")).to_contain_text("Vietnamese idiom for easy money")
            page.screenshot(path=str(SHOTS / "06-history.png"), full_page=True)

            _wait_for_bot(stack, flagged=True)

            # roll back to the shipped files
            page.click("button[data-version='0']")
            expect(page.locator(".flash.ok")).to_contain_text("version 0 is live")
            _wait_for_bot(stack, flagged=False)

            page.click("header nav >> text=Trends")
            expect(page.locator("h1")).to_have_text("Trends")
            page.screenshot(path=str(SHOTS / "07-trends.png"), full_page=True)
            assert not [e for e in errors if "Content Security Policy" in e], errors
        finally:
            context.close()
            shutil.rmtree(profile, ignore_errors=True)
