"""The staff admin page (aiohttp): indicators, pattern tries, drafts, publishing, history, trends.

Security: every page but sign-in and invitations needs a session; sessions are server-side
(:mod:`bot.admin.auth`) behind an HttpOnly, SameSite=Strict cookie and exist only after sign-in
(the sign-in and invitation forms use a signed double-submit cookie, :mod:`bot.admin.formtokens`,
so a stranger's requests store nothing); every other POST carries the session's CSRF token and,
when the browser sends one, an Origin of this host; publishing and rolling back need the
publisher role, and a publish names the draft it reviewed (a changed draft is refused). Pages
are rendered on the server with every value escaped; the Content-Security-Policy allows no
script at all. No access log is kept, and no password, token or session id is ever logged.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import json
import logging
import os
from collections.abc import Awaitable, Callable
from html import escape
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from aiohttp import web

from bot import LANGUAGES
from bot.admin import charts
from bot.admin import indicators as ind
from bot.admin.auth import MIN_PASSWORD_CHARS, Auth, AuthError, Session
from bot.admin.formtokens import COOKIE as FORM_COOKIE
from bot.admin.formtokens import FormTokens
from bot.admin.strings import s
from bot.content import ContentError

log = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).parent / "static"
COOKIE = "safejobs_admin"
DRAFT_KEY = "safejobs:admin:draft"
FLASH_PREFIX = "safejobs:admin:flash:"
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


def e(value: Any) -> str:
    return escape(str(value), quote=True)


def _when(value: Any) -> str:
    if isinstance(value, (int, float)):
        return dt.datetime.fromtimestamp(value, dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    return str(value or "").replace("T", " ").replace("+00:00", " UTC")


def csrf_field(session: Session) -> str:
    return token_field(session.csrf)


def token_field(token: str) -> str:
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
    session: Session | None = request.get("session")
    nav = ""
    if session is not None and session.user:
        links = [("/", "nav.home"), ("/indicators", "nav.indicators"), ("/try", "nav.try"),
                 ("/publish", "nav.publish"), ("/history", "nav.history"),
                 ("/trends", "nav.trends")]
        here = request.path
        current = ' class="here" aria-current="page"'
        items = "".join(
            f'<a href="{href}"{current if here == href else ""}>{e(s(key))}</a>'
            for href, key in links)
        nav = (f"<nav>{items}</nav><div class=\"who\">"
               f"<span>{e(s('nav.signed_in', name=session.user, role=session.role))}</span>"
               f'<form class="inline" method="post" action="/logout">{csrf_field(session)}'
               f'<button type="submit">{e(s("nav.logout"))}</button></form></div>')
    shown = [*_take_flashes(request), *((kind, text, []) for kind, text in messages or [])]
    notes = "".join(f'<div class="flash {e(kind)}" role="status">{e(text)}{_items(items)}</div>'
                    for kind, text, items in shown)
    html = (
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        f"<title>{e(title)} · {e(s('app.title'))}</title>"
        "<link rel=\"stylesheet\" href=\"/static/admin.css\"></head><body>"
        f"<header><span class=\"brand\">{e(s('app.title'))}</span>{nav}</header>"
        f"<main><h1>{e(title)}</h1>{notes}{body}</main></body></html>"
    )
    return web.Response(text=html, content_type="text/html", status=status)


def _items(items: list[str], shown: int = 8) -> str:
    """A list under a message; long ones folded after ``shown`` items."""
    if not items:
        return ""
    head = "".join(f"<li>{e(item)}</li>" for item in items[:shown])
    rest = "".join(f"<li>{e(item)}</li>" for item in items[shown:])
    more = (f"<details><summary>{e(s('common.more', n=len(items) - shown))}</summary>"
            f"<ul>{rest}</ul></details>") if rest else ""
    return f"<ul>{head}</ul>{more}"


def redirect(location: str) -> web.HTTPSeeOther:
    return web.HTTPSeeOther(location)


def _set_cookie(request: web.Request, response: web.StreamResponse, sid: str) -> None:
    response.set_cookie(
        COOKIE, sid, httponly=True, samesite="Strict", path="/",
        secure=request.app[SECURE_KEY] or request.secure,
    )


def need(request: web.Request, permission: str) -> Session:
    session: Session = request["session"]
    if not session.can(permission):
        raise web.HTTPForbidden(
            text=page(request, s("error.forbidden", role=session.role),
                      f"<p>{e(s('error.forbidden', role=session.role))}</p>").text,
            content_type="text/html")
    return session


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
            return page(request, s("error.csrf"), f"<p>{e(s('error.csrf'))}</p>", status=403)
    if not public and (session is None or not session.user):
        raise redirect("/login")
    return await handler(request)


# --- sign-in, invitations --------------------------------------------------------------------


async def login_form(request: web.Request, message: str = "", status: int = 200) -> web.Response:
    """The sign-in form; nothing is stored for it (see :mod:`bot.admin.formtokens`)."""
    notes = [("error", message)] if message else []
    if not message and request.query.get("invited") == "1":
        notes = [("ok", s("invite.done"))]
    response = web.Response(content_type="text/html", status=status)
    field = pre_login_form(request, response)
    body = (
        f'<div class="login"><form method="post" action="/login">{field}'
        f'<label for="name">{e(s("login.name"))}</label>'
        '<input type="text" id="name" name="name" autocomplete="username" required>'
        f'<label for="password">{e(s("login.password"))}</label>'
        '<input type="password" id="password" name="password" '
        'autocomplete="current-password" required>'
        f'<p><button type="submit">{e(s("login.submit"))}</button></p></form></div>'
    )
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
    _set_cookie(request, response, session.id)
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
        return page(request, s("invite.title"), f"<p>{e(s('invite.invalid'))}</p>", status=404)
    response = web.Response(content_type="text/html")
    body = (
        f"<p>{e(s('invite.intro', name=name, min=MIN_PASSWORD_CHARS))}</p>"
        f'<form method="post" action="/invite/{e(token)}">{pre_login_form(request, response)}'
        f'<label for="password">{e(s("invite.password"))}</label>'
        '<input type="password" id="password" name="password" autocomplete="new-password" '
        f'minlength="{MIN_PASSWORD_CHARS}" required>'
        f'<label for="repeat">{e(s("invite.repeat"))}</label>'
        '<input type="password" id="repeat" name="repeat" autocomplete="new-password" required>'
        f'<p><button type="submit">{e(s("invite.submit"))}</button></p></form>'
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


# --- drafts ----------------------------------------------------------------------------------


def _publishing() -> Any:
    from bot import publishing

    return publishing


def live_files(request: web.Request) -> dict[str, str]:
    return _publishing().current_files(client=request.app[REDIS_KEY])


def live_version(request: web.Request) -> int | None:
    return _publishing().active_version(client=request.app[REDIS_KEY])


def get_draft(request: web.Request) -> dict[str, Any] | None:
    raw = request.app[REDIS_KEY].get(DRAFT_KEY)
    return json.loads(raw) if raw else None


def working_files(request: web.Request) -> tuple[dict[str, str], bool]:
    """The draft's files, else the live ones; and whether a draft is in use."""
    draft = get_draft(request)
    if draft:
        return draft["files"], True
    return live_files(request), False


def save_draft(request: web.Request, files: dict[str, str], changed: str) -> None:
    draft = get_draft(request) or {"base": live_version(request) or 0, "changed": []}
    session: Session = request["session"]
    draft.update(files=files, by=session.user, at=dt.datetime.now(dt.timezone.utc)
                 .replace(microsecond=0).isoformat())
    if changed not in draft["changed"]:
        draft["changed"].append(changed)
    request.app[REDIS_KEY].set(DRAFT_KEY, json.dumps(draft, ensure_ascii=False))
    log.info("admin draft saved by %s (%s)", session.user, changed)


# --- pages -----------------------------------------------------------------------------------


async def home(request: web.Request) -> web.StreamResponse:
    version = live_version(request)
    draft = get_draft(request)
    parts = [f"<p>{e(s('home.help'))}</p>", '<div class="card">']
    parts.append(f"<p>{e(s('home.live', version=version) if version else s('home.live_none'))}"
                 "</p>")
    if draft:
        parts.append("<p>" + e(s("home.draft", by=draft.get("by"), at=_when(draft.get("at")),
                                 base=draft.get("base") or 0,
                                 files=", ".join(draft.get("changed", [])) or "—")) + "</p>")
        if (draft.get("base") or 0) != (version or 0):
            stale = s("home.draft_stale", base=draft.get("base") or 0, live=version or 0)
            parts.append(f'<p class="flash warn">{e(stale)}</p>')
    else:
        parts.append(f"<p>{e(s('home.draft_none'))}</p>")
    parts.append("</div>")
    return page(request, s("home.title"), "".join(parts))


def _status_tags(view: ind.IndicatorView) -> str:
    """One chip per language (green: patterns and explanation; red: what is missing)."""
    tags = []
    if view.computed:
        tags.append(f'<span class="tag computed">{e(s("ind.computed", how=view.computed))}'
                    "</span>")
    for lang in LANGUAGES:
        lacks = []
        if lang in view.missing_patterns and not view.computed:
            lacks.append(s("ind.no_patterns", langs=lang))
        if lang in view.missing_explanations:
            lacks.append(s("ind.no_expl", langs=lang))
        kind, title = ("missing", "; ".join(lacks)) if lacks else ("done", s("ind.complete"))
        tags.append(f'<span class="tag lang {kind}" title="{e(title)}">{e(lang)}'
                    f'{" ✗" if lacks else ""}</span>')
    lacks = _lacks_text(view)
    if lacks:
        tags.append(f'<div class="muted small">{e("; ".join(lacks))}</div>')
    return "".join(tags)


def _lacks_text(view: ind.IndicatorView) -> list[str]:
    out = []
    if view.missing_patterns and not view.computed:
        out.append(s("ind.no_patterns", langs=" ".join(view.missing_patterns)))
    if view.missing_explanations:
        out.append(s("ind.no_expl", langs=" ".join(view.missing_explanations)))
    return out


async def indicator_list(request: web.Request) -> web.StreamResponse:
    files, drafted = working_files(request)
    rows = []
    for view in ind.indicators(files[ind.INDICATORS_FILE]):
        rows.append(
            f"<tr><td><a href=\"/indicators/{e(view.id)}\"><code>{e(view.id)}</code></a>"
            f"<br><span class=\"muted\">{e(view.strength)}</span></td>"
            f"<td>{view.weight:g}</td><td>{_status_tags(view)}</td>"
            f"<td><a href=\"/indicators/{e(view.id)}\">{e(s('ind.edit'))}</a></td></tr>")
    using = s("try.using_draft") if drafted else s("try.using_live")
    body = (f"<p>{e(s('ind.intro'))}</p><p class=\"muted\">{e(using)}</p>"
            f"<table><thead><tr><th>{e(s('ind.col.id'))}</th><th>{e(s('ind.col.weight'))}</th>"
            f"<th>{e(s('ind.col.status'))}</th><th></th></tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>")
    return page(request, s("ind.title"), body)


def _language_name(lang: str) -> str:
    try:
        from bot.i18n import language_name

        return language_name(lang)
    except Exception:  # noqa: BLE001 - a missing catalog must not break the editor
        return ""


def _edit_body(session: Session, view: ind.IndicatorView,
               values: dict[str, tuple[str, str]] | None = None) -> str:
    rows = []
    for lang in LANGUAGES:
        patterns, expl = (values or {}).get(lang) or (
            "\n".join(view.patterns.get(lang, [])), view.explanations.get(lang, ""))
        missing = "" if patterns.strip() or view.computed else (
            f' <span class="tag missing">{e(s("edit.missing"))}</span>')
        missing_e = "" if expl.strip() else (
            f' <span class="tag missing">{e(s("edit.missing"))}</span>')
        rows.append(
            f'<tr class="lang-row"><td>{e(lang)}<br><span class="muted" lang="{lang}">'
            f"{e(_language_name(lang))}</span></td><td>"
            f'<label for="p-{lang}">{e(s("edit.patterns"))}{missing}</label>'
            f'<textarea id="p-{lang}" name="patterns_{lang}" lang="{lang}" spellcheck="false" '
            f'rows="{max(2, patterns.count(chr(10)) + 2)}">{e(patterns)}</textarea>'
            f'<label for="e-{lang}">{e(s("edit.explanation"))}{missing_e}</label>'
            f'<textarea class="expl" id="e-{lang}" name="explanation_{lang}" lang="{lang}">'
            f"{e(expl)}</textarea></td></tr>")
    return (f'<form method="post" action="/indicators/{e(view.id)}">{csrf_field(session)}'
            f"<p class=\"muted\">{e(s('ind.intro'))}</p>"
            f"<table><tbody>{''.join(rows)}</tbody></table>"
            f'<p><button type="submit">{e(s("edit.save"))}</button></p></form>')


async def indicator_get(request: web.Request) -> web.StreamResponse:
    need(request, "view")
    files, _ = working_files(request)
    view = ind.find(files[ind.INDICATORS_FILE], request.match_info["iid"])
    if view is None:
        raise web.HTTPNotFound(text=s("error.not_found"))
    return page(request, s("edit.title", id=view.id), _edit_body(request["session"], view))


async def indicator_post(request: web.Request) -> web.StreamResponse:
    session = need(request, "edit")
    files, _ = working_files(request)
    iid = request.match_info["iid"]
    text = files[ind.INDICATORS_FILE]
    view = ind.find(text, iid)
    if view is None:
        raise web.HTTPNotFound(text=s("error.not_found"))
    form = request["form"]
    values = {lang: (str(form.get(f"patterns_{lang}", "")), str(form.get(f"explanation_{lang}",
                                                                          "")))
              for lang in LANGUAGES}
    try:
        patterns = {lang: ind.clean_patterns(p) for lang, (p, _) in values.items()}
        for items in patterns.values():
            for item in items:
                ind.compile_pattern(item)
        explanations = {lang: " ".join(x.split()) for lang, (_, x) in values.items()}
        # only what changed, so that untouched lines stay byte for byte
        patterns = {k: v for k, v in patterns.items() if v != view.patterns.get(k, [])}
        explanations = {k: v for k, v in explanations.items()
                        if v != view.explanations.get(k, "").strip()}
        edited = ind.update_indicator(text, iid, patterns, explanations)
    except (ContentError, ValueError) as exc:  # a broken regex is refused at once
        return page(request, s("edit.title", id=iid), _edit_body(session, view, values),
                    status=422, messages=[("error", s("edit.invalid", error=exc))])
    if edited != text:
        save_draft(request, {**files, ind.INDICATORS_FILE: edited}, iid)
    try:
        ind.load_draft_rules({**files, ind.INDICATORS_FILE: edited})
    except ContentError as exc:  # work in progress (e.g. a translation to come) is kept
        flash(request, "warn", s("edit.saved_invalid", error=exc))
    else:
        flash(request, "ok", s("edit.saved"))
    raise redirect(f"/indicators/{iid}")


async def try_page(request: web.Request) -> web.StreamResponse:
    session = need(request, "try")
    form = request.get("form") or {}
    pattern = str(form.get("pattern", "")).strip()
    pasted = str(form.get("offers", ""))
    use_samples = request.method == "GET" or form.get("samples") == "on"
    results_html, notes = "", []
    files, drafted = working_files(request)
    if request.method == "POST":
        offers = [{"id": f"#{i + 1}", "lang": "", "text": line.strip()}
                  for i, line in enumerate(pasted.splitlines()) if line.strip()]
        if use_samples:
            offers += ind.samples()
        results = []
        try:
            if pattern:
                ind.compile_pattern(pattern)
        except (ContentError, ValueError) as exc:
            notes.append(("error", s("try.bad_pattern", error=exc)))
        else:
            try:
                results = await asyncio.to_thread(
                    ind.try_offers_isolated, files, pattern or None, offers
                )
            except (ContentError, ind.TryTimeout, RuntimeError) as exc:
                notes.append(("error", s("try.bad_draft", error=exc)))
        if results:
            matched = sum(1 for r in results if r["match"])
            summary = s("try.summary", n=matched, total=len(results)) if pattern else ""
            rows = []
            for r in results:
                flags = "".join(f'<span class="tag" title="{e(ev)}">{e(fid)}</span>'
                                for fid, ev in r["flags"])
                match = (f"<mark>{e(r['match'])}</mark>" if r["match"]
                         else e(s("try.no_match")))
                rows.append(
                    f'<tr data-offer="{e(r["id"])}"><td class="offer"><span class="muted">'
                    f'{e(r["id"])}</span> {e(r["text"])}</td><td class="match">{match}</td>'
                    f'<td class="risk-{e(r["risk"])}">{e(r["risk"])} ({r["score"]:.2f})</td>'
                    f'<td class="flags">{flags}</td></tr>')
            results_html = (
                f'<h2 id="results">{e(summary)}</h2><table><thead><tr>'
                f"<th>{e(s('try.col.offer'))}</th><th>{e(s('try.col.match'))}</th>"
                f"<th>{e(s('try.col.risk'))}</th><th>{e(s('try.col.flags'))}</th></tr>"
                f"</thead><tbody>{''.join(rows)}</tbody></table>")
    using = s("try.using_draft") if drafted else s("try.using_live")
    checked = " checked" if use_samples else ""
    body = (
        f"<p>{e(s('try.intro'))}</p><p class=\"muted\">{e(using)}</p>"
        f'<form method="post" action="/try">{csrf_field(session)}'
        f'<label for="pattern">{e(s("try.pattern"))}</label>'
        f'<input type="text" id="pattern" name="pattern" value="{e(pattern)}" '
        'spellcheck="false">'
        f'<label for="offers">{e(s("try.offers"))}</label>'
        f'<textarea id="offers" name="offers" rows="4">{e(pasted)}</textarea>'
        f'<p><input type="checkbox" id="samples" name="samples"{checked}> '
        f'<label class="inline" for="samples">{e(s("try.samples"))}</label></p>'
        f'<p><button type="submit">{e(s("try.submit"))}</button></p></form>{results_html}'
    )
    return page(request, s("try.title"), body, messages=notes)


async def publish_page(request: web.Request) -> web.StreamResponse:
    session: Session = request["session"]
    draft = get_draft(request)
    if not draft:
        return page(request, s("pub.title"), f"<p>{e(s('pub.no_draft'))}</p>")
    pub = _publishing()
    live = live_files(request)
    changes = pub.diff_summary(live, draft["files"])
    parts = [f"<h2>{e(s('pub.diff'))}</h2>"]
    if changes:
        parts.append("<ul>" + "".join(
            f"<li><code>{e(c['file'])}</code> {e(c['change'])} (+{c['added']} −{c['removed']})"
            "</li>" for c in changes) + "</ul>")
        parts.append(_diff_html(live, draft["files"]))
    else:
        parts.append(f"<p>{e(s('pub.no_changes'))}</p>")
    parts.append(f'<form method="post" action="/draft/validate">{csrf_field(session)}'
                 f'<button class="secondary" type="submit">{e(s("pub.validate"))}</button>'
                 "</form>")
    if session.can("publish"):
        parts.append(
            f'<form method="post" action="/publish">{csrf_field(session)}'
            f'<input type="hidden" name="draft" value="{draft_digest(draft["files"])}">'
            f'<label for="note">{e(s("pub.note"))}</label>'
            '<input type="text" id="note" name="note" maxlength="500">'
            f'<p><button type="submit">{e(s("pub.publish"))}</button></p></form>')
    else:
        parts.append(f"<p class=\"muted\">{e(s('pub.publisher_only'))}</p>")
    parts.append(f'<form method="post" action="/draft/discard">{csrf_field(session)}'
                 f'<button class="danger" type="submit">{e(s("pub.discard"))}</button></form>')
    return page(request, s("pub.title"), "".join(parts))


def _diff_html(old: dict[str, str], new: dict[str, str]) -> str:
    import difflib

    out = []
    for name in sorted(set(old) | set(new)):
        if old.get(name) == new.get(name):
            continue
        lines = difflib.unified_diff((old.get(name) or "").splitlines(),
                                     (new.get(name) or "").splitlines(), name, name,
                                     lineterm="", n=1)
        out.append(f"<pre class=\"card\"><code>{e(chr(10).join(list(lines)[:400]))}</code></pre>")
    return "".join(out)


async def validate_draft(request: web.Request) -> web.StreamResponse:
    need(request, "edit")
    draft = get_draft(request)
    if not draft:
        raise redirect("/publish")
    report = await asyncio.to_thread(_publishing().validate_files, draft["files"])
    if report.ok:
        flash(request, "ok", s("pub.valid"))
    else:
        flash(request, "error", s("pub.invalid"), report.errors)
    if report.warnings:
        flash(request, "warn", s("pub.warnings"), report.warnings)
    raise redirect("/publish")


async def discard_draft(request: web.Request) -> web.StreamResponse:
    need(request, "edit")
    request.app[REDIS_KEY].delete(DRAFT_KEY)
    flash(request, "ok", s("pub.discarded"))
    raise redirect("/publish")


async def publish_post(request: web.Request) -> web.StreamResponse:
    session = need(request, "publish")
    draft = get_draft(request)
    if not draft:
        raise redirect("/publish")
    if request["form"].get("draft") != draft_digest(draft["files"]):
        flash(request, "error", s("pub.stale"))  # someone changed the draft meanwhile
        raise redirect("/publish")
    note = str(request["form"].get("note", ""))[:500]
    redis = request.app[REDIS_KEY]
    try:
        version = await asyncio.to_thread(
            _publishing().publish, draft["files"], session.user, note, client=redis)
    except ContentError as exc:
        report = getattr(exc, "report", None)
        flash(request, "error", s("pub.failed", error=exc), report.errors if report else None)
        raise redirect("/publish") from None
    redis.delete(DRAFT_KEY)
    log.info("admin: %s published version %s", session.user, version)
    flash(request, "ok", s("pub.published", version=version))
    raise redirect("/history")


async def history_page(request: web.Request) -> web.StreamResponse:
    session: Session = request["session"]
    pub = _publishing()
    redis = request.app[REDIS_KEY]
    entries = pub.history(limit=200, client=redis)
    stored = pub.versions(client=redis)
    parts = [f"<h2>{e(s('hist.versions'))}</h2>"]
    active = live_version(request)
    rows = []
    for v in [*stored, {"version": 0, "who": "", "when": "", "note": "shipped files",
                        "summary": "", "active": active is None}]:
        action = ""
        if session.can("publish") and not v.get("active"):
            action = (f'<form class="inline" method="post" action="/rollback">'
                      f'{csrf_field(session)}<input type="hidden" name="version" '
                      f'value="{int(v["version"])}"><button class="secondary" type="submit" '
                      f'data-version="{int(v["version"])}">{e(s("hist.rollback"))}</button></form>')
        live = f' <span class="tag done">{e(s("hist.live"))}</span>' if v.get("active") else ""
        rows.append(f"<tr><td>{int(v['version'])}{live}</td><td>{e(_when(v.get('when')))}</td>"
                    f"<td>{e(v.get('who', ''))}</td><td>{e(v.get('note', ''))}"
                    f"<br><span class=\"muted\">{e(v.get('summary', ''))}</span></td>"
                    f"<td>{action}</td></tr>")
    parts.append(f"<table><thead><tr><th>{e(s('hist.col.version'))}</th>"
                 f"<th>{e(s('hist.col.when'))}</th><th>{e(s('hist.col.who'))}</th>"
                 f"<th>{e(s('hist.col.note'))}</th><th></th></tr></thead>"
                 f"<tbody>{''.join(rows)}</tbody></table>")
    parts.append(f"<h2>{e(s('hist.title'))}</h2>")
    if not entries:
        parts.append(f"<p>{e(s('hist.empty'))}</p>")
    else:
        rows = [f"<tr><td>{e(_when(x.get('when')))}</td><td>{e(x.get('who', ''))}</td>"
                f"<td>{e(x.get('action', ''))} → {e(x.get('version', ''))} "
                f"(from {e(x.get('previous', ''))})<br><span class=\"muted\">"
                f"{e(x.get('summary', ''))}</span></td><td>{e(x.get('note', ''))}</td></tr>"
                for x in entries]
        parts.append(f"<table><thead><tr><th>{e(s('hist.col.when'))}</th>"
                     f"<th>{e(s('hist.col.who'))}</th><th>{e(s('hist.col.what'))}</th>"
                     f"<th>{e(s('hist.col.note'))}</th></tr></thead>"
                     f"<tbody>{''.join(rows)}</tbody></table>")
    return page(request, s("hist.title"), "".join(parts))


async def rollback_post(request: web.Request) -> web.StreamResponse:
    session = need(request, "publish")
    try:
        version = int(str(request["form"].get("version", "")))
    except ValueError:
        raise web.HTTPBadRequest(text="version") from None
    try:
        done = await asyncio.to_thread(_publishing().rollback, version, session.user,
                                       client=request.app[REDIS_KEY])
    except ContentError as exc:
        flash(request, "error", s("hist.rollback_failed", error=exc))
        raise redirect("/history") from None
    log.info("admin: %s rolled back to version %s", session.user, done)
    flash(request, "ok", s("hist.rolled_back", version=done))
    raise redirect("/history")


async def trends_page(request: web.Request) -> web.StreamResponse:
    try:
        days = int(request.query.get("days", "30"))
    except ValueError:
        days = 30
    days = days if days in TREND_DAYS else 30
    links = " · ".join(
        f'<a href="/trends?days={d}">{e(s("trends.days", days=d))}</a>' if d != days
        else f"<strong>{e(s('trends.days', days=d))}</strong>" for d in TREND_DAYS)
    try:
        from bot import analytics

        rows = await asyncio.to_thread(analytics.series, days, client=request.app[REDIS_KEY])
    except Exception as exc:  # noqa: BLE001 - a missing or failing store must not break the page
        log.warning("trends unavailable: %s", type(exc).__name__)
        return page(request, s("trends.title"),
                    f"<p>{links}</p><p>{e(s('trends.unavailable', error=type(exc).__name__))}</p>")
    day_list, counters = charts.normalize_series(rows)
    empty = s("trends.empty")

    def chart(key: str, series: dict[str, list[int]], strip: str = "") -> str:
        return f"<h2>{e(s(key))}</h2>" + charts.stacked_bars(s(key), day_list, series, strip,
                                                             empty)

    zero = [0] * len(day_list)
    body = [f"<p>{links}</p>",
            chart("trends.checks", {"checks": counters.get("checks", zero)}),
            chart("trends.risk", {k: counters.get(k, zero)
                                  for k in ("risk:high", "risk:medium", "risk:low")}, "risk:"),
            chart("trends.flags", charts.pick(counters, "flag:"), "flag:"),
            chart("trends.languages", charts.pick(counters, "language:", 8), "language:"),
            chart("trends.countries", charts.pick(counters, "country:", 8), "country:"),
            chart("trends.cases", {k: counters.get(k, zero)
                                   for k in ("cases:opened", "cases:closed")}, "cases:"),
            chart("trends.campaign", {"campaign:delivered": counters.get("campaign:delivered",
                                                                         zero)}, "campaign:")]
    return page(request, s("trends.title"), "".join(body))


async def healthz(request: web.Request) -> web.StreamResponse:
    return web.Response(text="ok")


# --- app -------------------------------------------------------------------------------------


def build_app(redis: Any, *, auth: Auth | None = None, secure_cookie: bool | None = None
              ) -> web.Application:
    """The admin app on a Redis client (``redis.Redis``)."""
    app = web.Application(middlewares=[security], client_max_size=MAX_BODY)
    app[REDIS_KEY] = redis
    app[AUTH_KEY] = auth or Auth(redis)
    if secure_cookie is None:
        secure_cookie = os.environ.get("ADMIN_SECURE_COOKIE", "").lower() in ("1", "true", "yes")
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
    client = redis_target.client(socket_connect_timeout=3, socket_timeout=10)
    runner = web.AppRunner(build_app(client), access_log=None)  # URLs hold invitation tokens
    await runner.setup()
    await web.TCPSite(runner, host, port).start()
    return runner
