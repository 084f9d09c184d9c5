"""Pages for publishing: review a draft, publish, history, roll back; trends; health."""

from __future__ import annotations

import asyncio
import logging

from aiohttp import web
from markupsafe import Markup

from bot.admin import charts
from bot.admin.auth import Session
from bot.admin.drafts import get_draft, live_files, live_version, publishing
from bot.admin.strings import s
from bot.admin.web import (
    DRAFT_KEY,
    REDIS_KEY,
    TREND_DAYS,
    draft_digest,
    flash,
    need,
    page,
    redirect,
    render,
    when,
)
from bot.content import ContentError

log = logging.getLogger(__name__)

async def publish_page(request: web.Request) -> web.StreamResponse:
    session: Session = request["session"]
    draft = get_draft(request)
    if not draft:
        return page(request, s("pub.title"), render("message.html", text=s("pub.no_draft")))
    live = live_files(request)
    body = render(
        "publish.html", changes=publishing().diff_summary(live, draft["files"]),
        diffs=_diffs(live, draft["files"]), token=session.csrf,
        can_publish=session.can("publish"), digest=draft_digest(draft["files"]),
    )
    return page(request, s("pub.title"), body)


def _diffs(old: dict[str, str], new: dict[str, str]) -> list[str]:
    """A unified diff per changed file (at most 400 lines each)."""
    import difflib

    out = []
    for name in sorted(set(old) | set(new)):
        if old.get(name) == new.get(name):
            continue
        lines = difflib.unified_diff((old.get(name) or "").splitlines(),
                                     (new.get(name) or "").splitlines(), name, name,
                                     lineterm="", n=1)
        out.append("\n".join(list(lines)[:400]))
    return out


async def validate_draft(request: web.Request) -> web.StreamResponse:
    need(request, "edit")
    draft = get_draft(request)
    if not draft:
        raise redirect("/publish")
    report = await asyncio.to_thread(publishing().validate_files, draft["files"])
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
            publishing().publish, draft["files"], session.user, note, client=redis)
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
    pub = publishing()
    redis = request.app[REDIS_KEY]
    entries = pub.history(limit=200, client=redis)
    active = live_version(request)
    shipped = {"version": 0, "who": "", "when": "", "note": "shipped files", "summary": "",
               "active": active is None}
    stored = [
        {"version": int(v["version"]), "when": when(v.get("when")), "who": v.get("who", ""),
         "note": v.get("note", ""), "summary": v.get("summary", ""), "active": v.get("active")}
        for v in [*pub.versions(client=redis), shipped]
    ]
    audit = [
        {"when": when(x.get("when")), **{k: x.get(k, "") for k in
                                          ("who", "action", "version", "previous", "summary",
                                           "note")}}
        for x in entries
    ]
    body = render("history.html", versions=stored, entries=audit, token=session.csrf,
                  can_publish=session.can("publish"))
    return page(request, s("hist.title"), body)


async def rollback_post(request: web.Request) -> web.StreamResponse:
    session = need(request, "publish")
    try:
        version = int(str(request["form"].get("version", "")))
    except ValueError:
        raise web.HTTPBadRequest(text="version") from None
    try:
        done = await asyncio.to_thread(publishing().rollback, version, session.user,
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
    try:
        from bot import analytics

        rows = await asyncio.to_thread(analytics.series, days, client=request.app[REDIS_KEY])
    except Exception as exc:  # noqa: BLE001 - a missing or failing store must not break the page
        log.warning("trends unavailable: %s", type(exc).__name__)
        body = render("trends.html", choices=TREND_DAYS, days=days, error=type(exc).__name__)
        return page(request, s("trends.title"), body)
    day_list, counters = charts.normalize_series(rows)
    empty = s("trends.empty")
    zero = [0] * len(day_list)
    wanted = [
        ("trends.checks", {"checks": counters.get("checks", zero)}, ""),
        ("trends.risk", {k: counters.get(k, zero)
                         for k in ("risk:high", "risk:medium", "risk:low")}, "risk:"),
        ("trends.flags", charts.pick(counters, "flag:"), "flag:"),
        ("trends.languages", charts.pick(counters, "language:", 8), "language:"),
        ("trends.countries", charts.pick(counters, "country:", 8), "country:"),
        ("trends.cases", {k: counters.get(k, zero)
                          for k in ("cases:opened", "cases:closed")}, "cases:"),
        ("trends.campaign", {"campaign:delivered": counters.get("campaign:delivered", zero)},
         "campaign:"),
    ]
    svgs = [  # server-rendered SVG (bot.admin.charts escapes every text in it)
        (key, Markup(charts.stacked_bars(s(key), day_list, series, strip, empty)))
        for key, series, strip in wanted
    ]
    body = render("trends.html", choices=TREND_DAYS, days=days, error="", charts=svgs)
    return page(request, s("trends.title"), body)


async def healthz(request: web.Request) -> web.StreamResponse:
    return web.Response(text="ok")
