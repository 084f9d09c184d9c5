"""The staff admin page (aiohttp): indicators, pattern tries, drafts, publishing, history, trends.

This module builds the app (routes); the pages are in ``views_auth``, ``views_content`` and
``views_publish``, the middleware in ``middleware``, drafts in ``drafts`` and the shared pieces
(app keys, layout, flash messages, templates) in ``web``.

Security: every page but sign-in and invitations needs a session; sessions are server-side
(:mod:`bot.admin.auth`) behind an HttpOnly, SameSite=Strict cookie and exist only after sign-in
(the sign-in and invitation forms use a signed double-submit cookie, :mod:`bot.admin.formtokens`,
so a stranger's requests store nothing); every other POST carries the session's CSRF token and,
when the browser sends one, an Origin of this host; publishing and rolling back need the
publisher role, and a publish names the draft it reviewed (a changed draft is refused). Pages
are rendered on the server from Jinja2 templates (``bot/admin/templates/``, autoescaped: every
value is escaped); the Content-Security-Policy allows no script at all. No access log is kept,
and no password, token or session id is ever logged.
"""

from __future__ import annotations

import logging
from typing import Any

from aiohttp import web

from bot import settings, storage
from bot.admin.auth import Auth
from bot.admin.formtokens import FormTokens
from bot.admin.middleware import security
from bot.admin.views_auth import invite_get, invite_post, login_get, login_post, logout
from bot.admin.views_content import home, indicator_get, indicator_list, indicator_post, try_page
from bot.admin.views_publish import (
    discard_draft,
    healthz,
    history_page,
    publish_page,
    publish_post,
    rollback_post,
    trends_page,
    validate_draft,
)
from bot.admin.web import AUTH_KEY, FORMS_KEY, MAX_BODY, REDIS_KEY, SECURE_KEY, STATIC_DIR

log = logging.getLogger(__name__)

# --- app -------------------------------------------------------------------------------------


def build_app(redis: Any, *, auth: Auth | None = None, secure_cookie: bool | None = None
              ) -> web.Application:
    """The admin app on a Redis client (``redis.Redis``)."""
    app = web.Application(middlewares=[security], client_max_size=MAX_BODY)
    app[REDIS_KEY] = redis
    app[AUTH_KEY] = auth or Auth(redis)
    if secure_cookie is None:
        secure_cookie = settings.flag("ADMIN_SECURE_COOKIE")
    app[SECURE_KEY] = secure_cookie
    app[FORMS_KEY] = FormTokens()
    r = app.router
    r.add_get("/login", login_get)
    r.add_post("/login", login_post)
    r.add_post("/logout", logout)
    r.add_get("/invite/{token}", invite_get)
    r.add_post("/invite/{token}", invite_post)
    r.add_get("/", home)
    r.add_get("/indicators", indicator_list)
    r.add_get("/indicators/{iid}", indicator_get)
    r.add_post("/indicators/{iid}", indicator_post)
    r.add_get("/try", try_page)
    r.add_post("/try", try_page)
    r.add_get("/publish", publish_page)
    r.add_post("/publish", publish_post)
    r.add_post("/draft/validate", validate_draft)
    r.add_post("/draft/discard", discard_draft)
    r.add_get("/history", history_page)
    r.add_post("/rollback", rollback_post)
    r.add_get("/trends", trends_page)
    r.add_get("/healthz", healthz)
    r.add_static("/static/", STATIC_DIR, show_index=False)
    return app


async def start_admin(host: str, port: int, redis_target: Any = None) -> web.AppRunner:
    """Serve the admin page on ``host:port``; Redis from ``redis_target`` or the environment."""
    if redis_target is None:
        from bot.redis_server import target_from_env

        redis_target = target_from_env()
    client = storage.client("staff", redis_target)
    runner = web.AppRunner(build_app(client), access_log=None)  # URLs hold invitation tokens
    await runner.setup()
    await web.TCPSite(runner, host, port).start()
    return runner
