"""Sign-in, sign-out and invitations (the only pages without a session)."""

from __future__ import annotations

import asyncio
import logging

from aiohttp import web
from markupsafe import Markup

from bot.admin.auth import MIN_PASSWORD_CHARS, AuthError
from bot.admin.formtokens import COOKIE as FORM_COOKIE
from bot.admin.strings import s
from bot.admin.web import AUTH_KEY, COOKIE, page, pre_login_form, redirect, render, set_cookie

log = logging.getLogger(__name__)

# --- sign-in, invitations --------------------------------------------------------------------


async def login_form(request: web.Request, message: str = "", status: int = 200) -> web.Response:
    """The sign-in form; nothing is stored for it (see :mod:`bot.admin.formtokens`)."""
    notes = [("error", message)] if message else []
    if not message and request.query.get("invited") == "1":
        notes = [("ok", s("invite.done"))]
    response = web.Response(content_type="text/html", status=status)
    field = pre_login_form(request, response)
    body = render("login.html", field=Markup(field))
    response.text = page(request, s("login.title"), body, status=status, messages=notes).text
    return response


async def login_get(request: web.Request) -> web.StreamResponse:
    session = request.get("session")
    if session is not None and session.user:
        raise redirect("/")
    return await login_form(request)


async def login_post(request: web.Request) -> web.StreamResponse:
    auth = request.app[AUTH_KEY]
    form = request["form"]
    name, password = str(form.get("name", ""))[:64], str(form.get("password", ""))[:1024]
    user = await asyncio.to_thread(auth.authenticate, name, password)
    if user is None:
        return await login_form(request, s("login.failed"), status=401)
    if request["session"] is not None:  # a new id after sign-in: no session fixation
        auth.end_session(request["session"].id)
    session = auth.new_session(user["name"], user["role"])
    response = web.HTTPSeeOther("/")
    set_cookie(request, response, session.id)
    response.del_cookie(FORM_COOKIE, path="/")
    raise response


async def logout(request: web.Request) -> web.StreamResponse:
    request.app[AUTH_KEY].end_session(request["session"].id)
    response = web.HTTPSeeOther("/login")
    response.del_cookie(COOKIE, path="/")
    raise response


async def invite_get(request: web.Request, message: str = "") -> web.StreamResponse:
    auth = request.app[AUTH_KEY]
    token = request.match_info["token"]
    name = auth.invitation_user(token)
    if not name:
        body = render("message.html", text=s("invite.invalid"))
        return page(request, s("invite.title"), body, status=404)
    response = web.Response(content_type="text/html")
    body = render(
        "invite.html", name=name, token=token, min_chars=MIN_PASSWORD_CHARS,
        field=Markup(pre_login_form(request, response)),
    )
    notes = [("error", message)] if message else []
    response.text = page(request, s("invite.title"), body, messages=notes).text
    return response


async def invite_post(request: web.Request) -> web.StreamResponse:
    auth = request.app[AUTH_KEY]
    form = request["form"]
    password, repeat = str(form.get("password", "")), str(form.get("repeat", ""))
    if password != repeat:
        return await invite_get(request, s("invite.mismatch"))
    try:
        await asyncio.to_thread(auth.accept_invitation, request.match_info["token"], password)
    except AuthError as exc:
        return await invite_get(request, str(exc))
    raise redirect("/login?invited=1")  # no session yet to keep a message in
