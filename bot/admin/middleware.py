"""The admin page's middleware: security headers, same-origin POSTs, sessions and CSRF."""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from aiohttp import web

from bot.admin.auth import Auth
from bot.admin.formtokens import COOKIE as FORM_COOKIE
from bot.admin.strings import s
from bot.admin.views_auth import login_form
from bot.admin.web import (
    AUTH_KEY,
    COOKIE,
    FORMS_KEY,
    PRE_LOGIN_PATHS,
    PUBLIC_PATHS,
    SECURITY_HEADERS,
    Handler,
    page,
    redirect,
    render,
)

log = logging.getLogger(__name__)

# --- middleware ------------------------------------------------------------------------------


def _same_origin(request: web.Request) -> bool:
    origin = request.headers.get("Origin")
    if not origin:
        return True  # older browsers and tools; the CSRF token still protects
    return origin != "null" and urlsplit(origin).netloc == request.host


@web.middleware
async def security(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        response = await _guarded(request, handler)
    except web.HTTPException as exc:
        _secure_headers(request, exc)
        raise
    _secure_headers(request, response)
    return response


def _secure_headers(request: web.Request, response: web.StreamResponse) -> None:
    response.headers.update(SECURITY_HEADERS)
    if not request.path.startswith("/static/"):
        response.headers["Cache-Control"] = "no-store"


async def _guarded(request: web.Request, handler: Handler) -> web.StreamResponse:
    auth = request.app[AUTH_KEY]
    session = auth.get_session(request.cookies.get(COOKIE))
    request["session"] = session
    public = any(request.path == p or (p.endswith("/") and request.path.startswith(p))
                 for p in PUBLIC_PATHS)
    if request.method == "POST":
        if not _same_origin(request):
            raise web.HTTPForbidden(text=s("error.csrf"))
        form = await request.post()
        request["form"] = form
        token = form.get("csrf")
        token = token if isinstance(token, str) else None
        if request.path.startswith(PRE_LOGIN_PATHS):
            if not request.app[FORMS_KEY].check(request.cookies.get(FORM_COOKIE), token):
                return await login_form(request, s("error.csrf"), status=403)
        elif not Auth.csrf_ok(session, token):
            if request.path == "/login" or session is None:
                # expired sign-in form: start again with a fresh one
                return await login_form(request, s("error.csrf"), status=403)
            body = render("message.html", text=s("error.csrf"))
            return page(request, s("error.csrf"), body, status=403)
    if not public and (session is None or not session.user):
        raise redirect("/login")
    return await handler(request)
