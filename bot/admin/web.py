"""Shared pieces of the admin pages: app keys, escaping, CSRF fields, flash messages, layout."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from collections.abc import Awaitable, Callable
from html import escape
from pathlib import Path
from typing import Any

import jinja2
from aiohttp import web
from markupsafe import Markup

from bot import storage
from bot.admin.auth import Auth, Session
from bot.admin.formtokens import COOKIE as FORM_COOKIE
from bot.admin.formtokens import FormTokens
from bot.admin.strings import s

log = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).parent / "static"
COOKIE = "safejobs_admin"
DRAFT_KEY = storage.key("admin", "draft")
FLASH_PREFIX = storage.key("admin", "flash") + ":"
MAX_BODY = 2 * 1024 * 1024
TREND_DAYS = (7, 30, 90)
CSP = ("default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
       "frame-ancestors 'none'; base-uri 'none'")
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",  # "no-referrer" makes browsers send Origin: null
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}
PUBLIC_PATHS = ("/login", "/invite/", "/static/", "/healthz")
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

AUTH_KEY: web.AppKey[Auth] = web.AppKey("auth", Auth)
REDIS_KEY: web.AppKey[Any] = web.AppKey("redis", object)
SECURE_KEY: web.AppKey[bool] = web.AppKey("secure_cookie", bool)
FORMS_KEY: web.AppKey[FormTokens] = web.AppKey("form_tokens", FormTokens)
PRE_LOGIN_PATHS = ("/login", "/invite/")



# --- small helpers ---------------------------------------------------------------------------


#: The pages in the navigation bar: (path, string key).
NAV_LINKS = (
    ("/", "nav.home"), ("/indicators", "nav.indicators"), ("/try", "nav.try"),
    ("/publish", "nav.publish"), ("/history", "nav.history"), ("/trends", "nav.trends"),
)
#: The admin page's templates, escaped by default (HTML autoescape, undefined names fail).
TEMPLATES = jinja2.Environment(
    loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    keep_trailing_newline=False,
)
TEMPLATES.globals["s"] = s


def e(value: Any) -> str:
    return escape(str(value), quote=True)


def when(value: Any) -> str:
    if isinstance(value, (int, float)):
        return dt.datetime.fromtimestamp(value, dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    return str(value or "").replace("T", " ").replace("+00:00", " UTC")


def token_field(token: str) -> str:
    """The hidden CSRF field of a form (``macros.html`` ``csrf`` for templates)."""
    return f'<input type="hidden" name="csrf" value="{e(token)}">'


def draft_digest(files: dict[str, str]) -> str:
    """What a publisher reviewed: the SHA-256 of the draft's files."""
    canonical = json.dumps(files, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def pre_login_form(request: web.Request, response: web.StreamResponse) -> str:
    """A CSRF field for a sign-in or invitation form, its signed cookie set on ``response``.

    A valid cookie the browser already holds is kept: a second page load (another tab, or the
    browser's own request for /favicon.ico redirected to /login) must not invalidate the form
    the person is filling in.
    """
    tokens = request.app[FORMS_KEY]
    held = tokens.token_of(request.cookies.get(FORM_COOKIE))
    if held is not None:
        return token_field(held)
    token, cookie = tokens.issue()
    response.set_cookie(FORM_COOKIE, cookie, httponly=True, samesite="Strict", path="/",
                        secure=request.app[SECURE_KEY] or request.secure)
    return token_field(token)


def _flash_key(session: Session) -> str:
    return FLASH_PREFIX + hashlib.sha256(session.id.encode()).hexdigest()


def flash(request: web.Request, kind: str, text: str, items: list[str] | None = None) -> None:
    """A message (with an optional list under it) shown once on the next page."""
    key = _flash_key(request["session"])
    request.app[REDIS_KEY].rpush(key, json.dumps([kind, text, items or []]))
    request.app[REDIS_KEY].expire(key, 120)


def _take_flashes(request: web.Request) -> list[tuple[str, str, list[str]]]:
    session = request.get("session")
    if session is None:
        return []
    redis = request.app[REDIS_KEY]
    key = _flash_key(session)
    pipe = redis.pipeline()
    pipe.lrange(key, 0, -1)
    pipe.delete(key)
    raw, _ = pipe.execute()
    return [tuple(json.loads(item)) for item in raw]  # type: ignore[misc]


def page(
    request: web.Request, title: str, body: str, status: int = 200,
    messages: list[tuple[str, str]] | None = None,
) -> web.Response:
    """The layout (``templates/layout.html``) around ``body`` (already rendered HTML)."""
    session: Session | None = request.get("session")
    shown = [*_take_flashes(request), *((kind, text, []) for kind, text in messages or [])]
    html = render(
        "layout.html", title=title, body=Markup(body), session=session, links=NAV_LINKS,
        here=request.path, notes=shown,
    )
    return web.Response(text=html, content_type="text/html", status=status)


def render(template: str, **values: Any) -> Markup:
    """A template of ``templates/`` with ``values``; every value is escaped unless Markup."""
    return Markup(TEMPLATES.get_template(template).render(**values))


def redirect(location: str) -> web.HTTPSeeOther:
    return web.HTTPSeeOther(location)


def set_cookie(request: web.Request, response: web.StreamResponse, sid: str) -> None:
    response.set_cookie(
        COOKIE, sid, httponly=True, samesite="Strict", path="/",
        secure=request.app[SECURE_KEY] or request.secure,
    )


def need(request: web.Request, permission: str) -> Session:
    session: Session = request["session"]
    if not session.can(permission):
        raise web.HTTPForbidden(
            text=page(request, s("error.forbidden", role=session.role),
                      render("message.html", text=s("error.forbidden", role=session.role))).text,
            content_type="text/html")
    return session
