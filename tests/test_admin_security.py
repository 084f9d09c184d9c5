"""Admin page under attack: parallel password guesses, cookieless crowds, stale publishes.

Same real Redis and in-process app as tests/test_admin.py, whose fixtures and helpers are reused.
"""
# ruff: noqa: F811 - the imported fixtures are parameters by name

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from bot.admin import auth as auth_module
from bot.admin.auth import Auth
from bot.admin.formtokens import COOKIE as FORM_COOKIE
from bot.admin.formtokens import FormTokens
from bot.admin.web import DRAFT_KEY
from tests.test_admin import (  # noqa: F401 - fixtures are used by name
    PASSWORD,
    auth,
    client,
    clock,
    csrf_of,
    draft_of,
    form_token,
    login,
    redis,
    save_vi_pattern,
)


def test_fifty_parallel_wrong_passwords_get_exactly_five_tries(
    auth: Auth, redis: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    auth.add_user("mai", "editor", PASSWORD)
    checked: list[str] = []
    real_verify = auth_module.verify_password

    def counting_verify(password: str, stored: str) -> bool:
        checked.append(password)
        return real_verify(password, stored)

    monkeypatch.setattr(auth_module, "verify_password", counting_verify)
    monkeypatch.setattr(auth_module, "hash_password", lambda *a, **k: "")  # keep the test fast
    with ThreadPoolExecutor(max_workers=50) as pool:
        results = list(pool.map(lambda i: auth.authenticate("mai", f"guess {i:04d}"), range(50)))
    assert results == [None] * 50
    assert len(checked) == auth_module.MAX_FAILURES  # not one more password was tried
    assert auth.is_locked("mai")
    assert auth.authenticate("mai", PASSWORD) is None  # the right one waits out the lock too
    assert 0 < redis.ttl("safejobs:admin:fail:mai") <= auth_module.LOCKOUT_SECONDS


def test_a_right_password_clears_the_count(auth: Auth, redis: Any) -> None:
    auth.add_user("mai", "editor", PASSWORD)
    for _ in range(auth_module.MAX_FAILURES - 1):
        assert auth.authenticate("mai", "wrong password!") is None
    assert auth.authenticate("mai", PASSWORD) == {"name": "mai", "role": "editor"}
    assert redis.get("safejobs:admin:fail:mai") is None


async def test_cookieless_sign_in_pages_store_nothing(client: TestClient, redis: Any) -> None:
    token = auth_module.Auth(redis).add_user("dewi", "editor")
    before = redis.dbsize()
    for _ in range(20):
        client.session.cookie_jar.clear()
        assert (await client.get("/login")).status == 200
        assert (await client.get(f"/invite/{token}")).status == 200
    assert redis.dbsize() == before


async def test_sign_in_form_needs_its_signed_cookie(client: TestClient, auth: Auth) -> None:
    auth.add_user("mai", "editor", PASSWORD)
    page = await client.get("/login")
    token = csrf_of(await page.text())
    client.session.cookie_jar.clear()  # the token alone (a forged form elsewhere) is not enough
    response = await client.post("/login", data={"csrf": token, "name": "mai",
                                                 "password": PASSWORD}, allow_redirects=False)
    assert response.status == 403
    forged = FormTokens()  # a cookie signed with another key
    _, cookie = forged.issue()
    client.session.cookie_jar.update_cookies({FORM_COOKIE: cookie})
    response = await client.post("/login", data={"csrf": cookie.split(".")[0], "name": "mai",
                                                 "password": PASSWORD}, allow_redirects=False)
    assert response.status == 403
    client.session.cookie_jar.clear()
    assert (await login(client, "mai")).status == 303


def test_form_tokens_expire() -> None:
    now = [1000.0]
    tokens = FormTokens(clock=lambda: now[0])
    token, cookie = tokens.issue()
    assert tokens.check(cookie, token)
    assert not tokens.check(cookie, token + "x")
    now[0] += 31 * 60
    assert not tokens.check(cookie, token)


async def test_a_publish_of_a_draft_that_changed_since_review_is_refused(
    client: TestClient, auth: Auth, redis: Any
) -> None:
    from bot.content import versions as publishing

    auth.add_user("lan", "publisher", PASSWORD)
    await login(client, "lan")
    await save_vi_pattern(client)
    reviewed = await (await client.get("/publish")).text()
    token, digest = csrf_of(reviewed), draft_of(reviewed)
    draft = json.loads(redis.get(DRAFT_KEY))  # an editor saves another change meanwhile
    draft["files"]["indicators.yml"] += "\n# changed after the review\n"
    redis.set(DRAFT_KEY, json.dumps(draft))
    response = await client.post("/publish", data={"csrf": token, "draft": digest, "note": "x"})
    text = await response.text()
    assert "the draft changed after you opened this page" in text
    assert publishing.active_version(client=redis) is None
    assert redis.get(DRAFT_KEY) is not None
    fresh = draft_of(text)  # the page shows the new draft: publishing it now works
    response = await client.post("/publish", data={"csrf": token, "draft": fresh, "note": "y"})
    assert "Published as version 1" in await response.text()
