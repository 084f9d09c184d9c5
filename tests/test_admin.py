"""Admin page: accounts, sessions, CSRF, lock-out, roles, editing, trying, publishing.

Fast: a real Redis (embedded redis-server) and the aiohttp app in-process.
"""

from __future__ import annotations

import html
import io
import logging
import re
from collections.abc import AsyncIterator
from contextlib import redirect_stdout
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.admin import auth as auth_module
from bot.admin import indicators as ind
from bot.admin.auth import Auth, AuthError, hash_password, verify_password
from bot.admin.server import build_app
from bot.admin.web import COOKIE, DRAFT_KEY
from bot.redis_server import RedisTarget

PASSWORD = "correct horse battery staple"
CSRF_RE = re.compile(r'name="csrf" value="([^"]+)"')
DRAFT_RE = re.compile(r'name="draft" value="([0-9a-f]{64})"')
VI_PHRASE = "ngồi mát ăn bát vàng"
VI_OFFER = "Cửa hàng ở Đà Nẵng tuyển nhân viên bán hàng, lương 8 triệu/tháng, ngồi mát ăn bát vàng."


@pytest.fixture
def redis(redis_target: RedisTarget) -> Any:
    client = redis_target.client()
    client.flushdb()
    return client


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def auth(redis: Any, clock: Clock) -> Auth:
    return Auth(redis, clock=clock)


@pytest.fixture
async def client(redis: Any, auth: Auth) -> AsyncIterator[TestClient]:
    async with TestClient(TestServer(build_app(redis, auth=auth))) as test_client:
        yield test_client


def csrf_of(text: str) -> str:
    match = CSRF_RE.search(text)
    assert match, "no CSRF field in the form"
    return html.unescape(match.group(1))


def draft_of(text: str) -> str:
    match = DRAFT_RE.search(text)
    assert match, "no draft digest in the publish form"
    return match.group(1)


async def login(client: TestClient, name: str, password: str = PASSWORD) -> Any:
    page = await client.get("/login")
    token = csrf_of(await page.text())
    return await client.post("/login", data={"csrf": token, "name": name, "password": password},
                             allow_redirects=False)


async def form_token(client: TestClient, path: str = "/") -> str:
    response = await client.get(path)
    assert response.status == 200, path
    return csrf_of(await response.text())


# --- passwords, accounts, invitations --------------------------------------------------------


def test_passwords_are_salted_scrypt_hashes() -> None:
    one, two = hash_password(PASSWORD), hash_password(PASSWORD)
    assert one != two and one.startswith("scrypt$") and PASSWORD not in one
    assert verify_password(PASSWORD, one) and verify_password(PASSWORD, two)
    assert not verify_password(PASSWORD + "x", one)
    assert not verify_password(PASSWORD, "garbage")


def test_accounts_store_only_hashes_and_check_rules(auth: Auth, redis: Any) -> None:
    auth.add_user("Mai", "publisher", PASSWORD)
    stored = redis.hgetall("safejobs:admin:user:mai")
    assert stored[b"role"] == b"publisher"
    assert PASSWORD.encode() not in b"".join(stored.values())
    with pytest.raises(AuthError):
        auth.add_user("x", "editor")  # too short a name
    with pytest.raises(AuthError):
        auth.add_user("somchai", "admin")  # no such role
    with pytest.raises(AuthError):
        auth.add_user("somchai", "editor", "short")


def test_invitation_is_single_use_and_stored_hashed(auth: Auth, redis: Any) -> None:
    token = auth.add_user("dewi", "editor")
    assert token and not any(token.encode() in key for key in redis.keys("*"))
    assert auth.authenticate("dewi", PASSWORD) is None  # no password yet
    assert auth.invitation_user(token) == "dewi"
    assert auth.accept_invitation(token, PASSWORD) == "dewi"
    assert auth.authenticate("dewi", PASSWORD) == {"name": "dewi", "role": "editor"}
    with pytest.raises(AuthError):
        auth.accept_invitation(token, "another long password")


def test_cli_add_user_prints_a_link_that_sets_the_password(
    redis_target: RedisTarget, redis: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot.cli import main

    monkeypatch.setenv("REDIS_URL", f"redis://127.0.0.1:{redis_target.port}/0")
    monkeypatch.setenv("ADMIN_PUBLIC_URL", "https://admin.example.org")
    out = io.StringIO()
    with redirect_stdout(out):
        assert main(["admin", "add-user", "Lan", "--role", "publisher"]) == 0
    link = re.search(r"https://admin\.example\.org/invite/(\S+)", out.getvalue())
    assert link, out.getvalue()
    auth = Auth(redis)
    assert auth.accept_invitation(link.group(1), PASSWORD) == "lan"
    assert auth.authenticate("lan", PASSWORD)["role"] == "publisher"

    monkeypatch.setattr("sys.stdin", io.StringIO("a different long password\n"))
    with redirect_stdout(io.StringIO()):
        assert main(["admin", "add-user", "ana", "--role", "editor", "--password-stdin"]) == 0
    assert auth.authenticate("ana", "a different long password")["role"] == "editor"


# --- lock-out and enumeration ----------------------------------------------------------------


def test_five_failures_lock_the_account_for_15_minutes(auth: Auth, redis: Any) -> None:
    auth.add_user("mai", "editor", PASSWORD)
    for _ in range(auth_module.MAX_FAILURES):
        assert auth.authenticate("mai", "wrong password!") is None
    assert auth.authenticate("mai", PASSWORD) is None  # locked, even with the right password
    assert 0 < redis.ttl("safejobs:admin:fail:mai") <= 15 * 60
    redis.delete("safejobs:admin:fail:mai")  # what the expiry does after 15 minutes
    assert auth.authenticate("mai", PASSWORD) == {"name": "mai", "role": "editor"}


async def test_unknown_and_locked_names_get_the_same_answer(client: TestClient, auth: Auth) -> None:
    auth.add_user("mai", "editor", PASSWORD)
    wrong = await login(client, "mai", "wrong password!")
    unknown = await login(client, "nobody", "wrong password!")
    assert wrong.status == unknown.status == 401
    def message(text: str) -> str:
        return re.search(r'class="flash error"[^>]*>([^<]*)<', text).group(1)
    assert message(await wrong.text()) == message(await unknown.text())
    for _ in range(5):
        await login(client, "mai", "wrong password!")
    locked = await login(client, "mai", PASSWORD)
    assert locked.status == 401
    assert message(await locked.text()) == message(await unknown.text())


# --- sessions, cookies, CSRF, headers --------------------------------------------------------


async def test_pages_need_a_session(client: TestClient) -> None:
    for path in ("/", "/indicators", "/try", "/publish", "/history", "/trends"):
        response = await client.get(path, allow_redirects=False)
        assert response.status == 303 and response.headers["Location"] == "/login", path


async def test_login_sets_a_strict_httponly_cookie_with_a_new_id(
    client: TestClient, auth: Auth
) -> None:
    auth.add_user("mai", "editor", PASSWORD)
    await client.get("/login")
    assert COOKIE not in client.session.cookie_jar.filter_cookies(client.make_url("/"))
    response = await login(client, "mai")
    assert response.status == 303
    header = next(h for h in response.headers.getall("Set-Cookie") if h.startswith(COOKIE + "="))
    assert "HttpOnly" in header and "SameSite=Strict" in header and "Path=/" in header
    after = client.session.cookie_jar.filter_cookies(client.make_url("/"))[COOKIE].value
    assert auth.get_session(after) is not None  # made at sign-in, never before it
    home = await client.get("/")
    assert home.status == 200 and "mai (editor)" in await home.text()


async def test_security_headers(client: TestClient) -> None:
    response = await client.get("/login")
    assert response.headers["X-Frame-Options"] == "DENY"
    csp = response.headers["Content-Security-Policy"]
    assert "script-src" not in csp and "default-src 'none'" in csp  # no script at all
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == "no-store"
    assert "<script" not in await response.text()


async def test_posts_without_the_session_csrf_token_are_refused(
    client: TestClient, auth: Auth, redis: Any
) -> None:
    auth.add_user("mai", "publisher", PASSWORD)
    await login(client, "mai")
    data = {"patterns_vi": VI_PHRASE}
    assert (await client.post("/indicators/HIGH_PAY_LOW_SKILL", data=data)).status == 403
    other = auth.new_session("mai", "publisher")  # a valid token, but of another session
    response = await client.post("/indicators/HIGH_PAY_LOW_SKILL",
                                 data={**data, "csrf": other.csrf})
    assert response.status == 403
    token = await form_token(client)
    response = await client.post("/publish", data={"csrf": token},
                                 headers={"Origin": "https://evil.example"})
    assert response.status == 403
    assert redis.get(DRAFT_KEY) is None
    login_page = await client.get("/login")
    assert login_page.status in (200, 303)
    # a sign-in form without its token is refused too
    response = await client.post("/login", data={"name": "mai", "password": PASSWORD},
                                 allow_redirects=False)
    assert response.status == 403


async def test_sessions_expire_when_idle_and_at_most_after_12_hours(
    client: TestClient, auth: Auth, clock: Clock
) -> None:
    auth.add_user("mai", "editor", PASSWORD)
    await login(client, "mai")
    clock.now += auth_module.SESSION_IDLE_SECONDS - 60
    assert (await client.get("/", allow_redirects=False)).status == 200
    clock.now += auth_module.SESSION_IDLE_SECONDS + 1
    assert (await client.get("/", allow_redirects=False)).status == 303  # idle too long
    session = auth.new_session("mai", "editor")
    for _ in range(8):  # busy all day: still ends at the absolute limit
        clock.now += 1.6 * 3600
        alive = auth.get_session(session.id)
    assert alive is None


async def test_logout_ends_the_session(client: TestClient, auth: Auth) -> None:
    auth.add_user("mai", "editor", PASSWORD)
    await login(client, "mai")
    sid = client.session.cookie_jar.filter_cookies(client.make_url("/"))[COOKIE].value
    token = await form_token(client)
    await client.post("/logout", data={"csrf": token})
    assert auth.get_session(sid) is None
    assert (await client.get("/", allow_redirects=False)).status == 303


async def test_invitation_page_sets_the_password(client: TestClient, auth: Auth) -> None:
    token = auth.add_user("dewi", "editor")
    page = await client.get(f"/invite/{token}")
    assert page.status == 200 and "dewi" in await page.text()
    csrf = csrf_of(await page.text())
    response = await client.post(f"/invite/{token}", data={
        "csrf": csrf, "password": PASSWORD, "repeat": PASSWORD}, allow_redirects=False)
    assert response.status == 303
    assert (await client.get(f"/invite/{token}")).status == 404  # used up
    assert (await login(client, "dewi")).status == 303


# --- roles, editing, trying, publishing ------------------------------------------------------


async def save_vi_pattern(client: TestClient) -> Any:
    page = await client.get("/indicators/HIGH_PAY_LOW_SKILL")
    text = await page.text()
    current = html.unescape(re.search(r'name="patterns_vi"[^>]*>([^<]*)<', text).group(1))
    return await client.post("/indicators/HIGH_PAY_LOW_SKILL", data={
        "csrf": csrf_of(text), "patterns_vi": current + "\n" + VI_PHRASE,
        **{f"explanation_{lang}": html.unescape(v) for lang, v in re.findall(
            r'name="explanation_(\w+)"[^>]*>([^<]*)<', text)},
        **{f"patterns_{lang}": html.unescape(v) for lang, v in re.findall(
            r'name="patterns_(\w+)"[^>]*>([^<]*)<', text) if lang != "vi"},
    }, allow_redirects=False)


async def test_editor_edits_a_draft_but_cannot_publish_or_roll_back(
    client: TestClient, auth: Auth, redis: Any
) -> None:
    auth.add_user("dewi", "editor", PASSWORD)
    await login(client, "dewi")
    response = await save_vi_pattern(client)
    assert response.status == 303
    import json

    draft = json.loads(redis.get(DRAFT_KEY))
    edited = draft["files"]["indicators.yml"]
    original = Path("content/indicators.yml").read_text(encoding="utf-8")
    assert VI_PHRASE in edited
    changed = [a for a, b in zip(original.splitlines(), edited.splitlines(), strict=True) if a != b]
    assert len(changed) == 1 and changed[0].strip().startswith("vi:")  # only that line
    listing = await client.get("/indicators")
    assert "HIGH_PAY_LOW_SKILL" in await listing.text()
    token = await form_token(client, "/publish")
    assert "Publish the draft" not in await (await client.get("/publish")).text()
    assert (await client.post("/publish", data={"csrf": token})).status == 403
    assert (await client.post("/rollback", data={"csrf": token, "version": "0"})).status == 403
    assert redis.get("safejobs:content:active") is None


async def test_bad_pattern_is_not_saved(client: TestClient, auth: Auth, redis: Any) -> None:
    auth.add_user("dewi", "editor", PASSWORD)
    await login(client, "dewi")
    token = await form_token(client, "/indicators/TOURIST_VISA")
    response = await client.post("/indicators/TOURIST_VISA",
                                 data={"csrf": token, "patterns_vi": "visa (du lich"})
    assert response.status == 422
    assert "TOURIST_VISA" in await response.text() and "patterns" in await response.text()
    assert redis.get(DRAFT_KEY) is None


async def test_try_shows_matches_and_flags_with_the_draft(
    client: TestClient, auth: Auth
) -> None:
    auth.add_user("dewi", "editor", PASSWORD)
    await login(client, "dewi")
    token = await form_token(client, "/try")
    before = await client.post("/try", data={"csrf": token, "pattern": VI_PHRASE,
                                             "offers": VI_OFFER})
    text = await before.text()
    assert "matches 1 of 1" in text and "<mark>" in text
    assert "HIGH_PAY_LOW_SKILL" not in text.split('id="results"')[1]  # live rules: no flag
    await save_vi_pattern(client)
    token = await form_token(client, "/try")
    after = await client.post("/try", data={"csrf": token, "pattern": VI_PHRASE,
                                            "offers": VI_OFFER, "samples": "on"})
    text = await after.text()
    assert "Using the draft" in text
    row = re.search(r'<tr data-offer="#1">.*?</tr>', text, re.S).group(0)
    assert "HIGH_PAY_LOW_SKILL" in row
    assert text.count("<tr data-offer=") == 1 + len(ind.samples())


async def test_publisher_publishes_and_rolls_back(
    client: TestClient, auth: Auth, redis: Any
) -> None:
    from bot.content import versions as publishing

    auth.add_user("lan", "publisher", PASSWORD)
    await login(client, "lan")
    await save_vi_pattern(client)
    token = await form_token(client, "/publish")
    response = await client.post("/draft/validate", data={"csrf": token})
    assert "The draft is valid" in await response.text()
    digest = draft_of(await response.text())
    response = await client.post(
        "/publish", data={"csrf": token, "draft": digest, "note": "idiom for easy pay"})
    text = await response.text()
    assert "Published as version 1" in text and "idiom for easy pay" in text
    assert publishing.active_version(client=redis) == 1
    assert VI_PHRASE in publishing.current_files(client=redis)["indicators.yml"]
    assert redis.get(DRAFT_KEY) is None
    assert publishing.history(client=redis)[0]["who"] == "lan"
    token = csrf_of(text)
    response = await client.post("/rollback", data={"csrf": token, "version": "0"})
    assert "version 0 is live" in await response.text()
    assert publishing.active_version(client=redis) is None


async def test_trends_page_draws_svg_charts(
    client: TestClient, auth: Auth, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot import analytics

    rows = [{"date": f"2026-05-0{i}", "checks": i * 3, "risk:high": i, "risk:low": 2,
             "flag:TOURIST_VISA": i, "language:vi": 2, "country:KH": 1, "cases:opened": 1,
             "cases:closed": 0, "campaign:delivered": 5} for i in range(1, 8)]
    monkeypatch.setattr(analytics, "series", lambda days, client=None: rows[-days:])
    auth.add_user("mai", "editor", PASSWORD)
    await login(client, "mai")
    response = await client.get("/trends?days=7")
    text = await response.text()
    assert response.status == 200
    assert text.count("<svg") == 7 and "TOURIST_VISA (28)" in text and "high (28)" in text


def test_nothing_secret_is_logged(
    auth: Auth, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    token = auth.add_user("mai", "editor")
    auth.accept_invitation(token, PASSWORD)
    auth.authenticate("mai", PASSWORD)
    auth.authenticate("mai", "wrong password!")
    session = auth.new_session("mai", "editor")
    logged = caplog.text
    for secret in (PASSWORD, token, session.id, session.csrf, "wrong password!"):
        assert secret not in logged


# --- the YAML editor -------------------------------------------------------------------------


def test_update_indicator_changes_one_line_and_round_trips() -> None:
    text = Path("content/indicators.yml").read_text(encoding="utf-8")
    view = ind.find(text, "SCAM_HUB")
    assert view is not None and view.computed == "places"
    added = ind.update_indicator(text, "SCAM_HUB", {"vi": ["it's a 'quote' \\b"]},
                                 {"sw": 'Kazi "hii"'})
    again = ind.find(added, "SCAM_HUB")
    assert again.patterns["vi"] == ["it's a 'quote' \\b"]
    assert again.explanations["sw"] == 'Kazi "hii"'
    assert ind.update_indicator(added, "SCAM_HUB", {"vi": []}, {"sw": ""}) == text
    assert text.splitlines()[:10] == added.splitlines()[:10]  # comments stay


def test_translation_status_names_missing_languages() -> None:
    text = Path("content/indicators.yml").read_text(encoding="utf-8")
    edited = ind.update_indicator(text, "TOURIST_VISA", {"km": []}, {"lo": ""})
    view = ind.find(edited, "TOURIST_VISA")
    assert view.missing_patterns == ["km"] and view.missing_explanations == ["lo"]


async def test_indicator_list_marks_missing_translations(
    client: TestClient, auth: Auth
) -> None:
    auth.add_user("dewi", "editor", PASSWORD)
    await login(client, "dewi")
    page = await client.get("/indicators/TOURIST_VISA")
    text = await page.text()
    data = {f"{field}_{lang}": html.unescape(value) for field, lang, value in re.findall(
        r'name="(patterns|explanation)_(\w+)"[^>]*>([^<]*)<', text)}
    data.update(csrf=csrf_of(text), patterns_km="", explanation_lo="")
    saved = await client.post("/indicators/TOURIST_VISA", data=data)
    assert "cannot be published yet" in await saved.text()  # kept as work in progress
    listing = await (await client.get("/indicators")).text()
    row = re.search(r"<tr><td><a href=\"/indicators/TOURIST_VISA\".*?</tr>", listing, re.S)
    assert "no patterns: km" in row.group(0) and "no explanation: lo" in row.group(0)
    assert "Using the draft" in listing
    token = await form_token(client, "/try")
    tried = await (await client.post("/try", data={"csrf": token, "offers": VI_OFFER})).text()
    assert "The draft cannot be used yet" in tried and "explanation.lo" in tried
    tried = await (await client.post("/try", data={"csrf": token, "pattern": "(unclosed"})).text()
    assert "The pattern does not work" in tried


def test_every_indicator_line_round_trips_through_the_edit_form() -> None:
    """What the form shows for each language, saved unchanged, gives the file back byte for
    byte: no pattern the form cannot hold (too long, a line break inside a pattern) and no
    layout that forces a whole-file rewrite (comments lost)."""
    text = Path("content/indicators.yml").read_text(encoding="utf-8")
    for view in ind.indicators(text):
        for lang, lines in view.patterns.items():
            assert ind.clean_patterns("\n".join(lines)) == lines, (view.id, lang)
        # All languages of an entry in one save: a parse per entry, not per language (17 s -> 1 s).
        assert ind.update_indicator(text, view.id, view.patterns, {}) == text, view.id


def test_editing_a_language_keeps_its_conditional_patterns() -> None:
    """Adding a pattern next to a {match, unless} one keeps it a condition (it used to be saved
    as Python's repr of the mapping, a regex that matched nothing)."""
    text = Path("content/indicators.yml").read_text(encoding="utf-8")
    lines = ind.find(text, "TOURIST_VISA").patterns["vi"]
    assert lines[0].startswith("{match: ")
    edited = ind.update_indicator(text, "TOURIST_VISA", {"vi": [*lines, "visa 3 thang"]}, {})
    entry = next(e for e in ind.parse(edited)["indicators"] if e["id"] == "TOURIST_VISA")
    original = next(e for e in ind.parse(text)["indicators"] if e["id"] == "TOURIST_VISA")
    assert entry["patterns"]["vi"] == [*original["patterns"]["vi"], "visa 3 thang"]
    assert isinstance(entry["patterns"]["vi"][0], dict)


@pytest.mark.parametrize("line", ["{match: 'x'}", "{not a mapping", "{match: 'x', if: 'y'}"])
def test_a_brace_line_that_is_no_conditional_pattern_is_refused(line: str) -> None:
    with pytest.raises(ValueError):
        ind.clean_patterns(line)
