"""Pages for editing content: home, indicators (list and edit) and trying patterns."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from aiohttp import web

from bot import LANGUAGES
from bot.admin import indicators as ind
from bot.admin.auth import Session
from bot.admin.drafts import get_draft, live_version, save_draft, working_files
from bot.admin.strings import s
from bot.admin.web import flash, need, page, redirect, render, when
from bot.content import ContentError

log = logging.getLogger(__name__)

# --- pages -----------------------------------------------------------------------------------


async def home(request: web.Request) -> web.StreamResponse:
    version = live_version(request)
    draft = get_draft(request)
    stale = ""
    if draft and (draft.get("base") or 0) != (version or 0):
        stale = s("home.draft_stale", base=draft.get("base") or 0, live=version or 0)
    body = render(
        "home.html", version=version, draft=draft, stale=stale,
        at=when(draft.get("at")) if draft else "",
        changed=", ".join(draft.get("changed", [])) or "—" if draft else "",
    )
    return page(request, s("home.title"), body)


def _status_tags(view: ind.IndicatorView) -> list[dict[str, str]]:
    """One chip per language (done: patterns and explanation; missing: what is missing)."""
    tags = []
    for lang in LANGUAGES:
        lacks = []
        if lang in view.missing_patterns and not view.computed:
            lacks.append(s("ind.no_patterns", langs=lang))
        if lang in view.missing_explanations:
            lacks.append(s("ind.no_expl", langs=lang))
        kind, title = ("missing", "; ".join(lacks)) if lacks else ("done", s("ind.complete"))
        tags.append({"lang": lang, "kind": kind, "title": title})
    return tags


def _lacks_text(view: ind.IndicatorView) -> list[str]:
    out = []
    if view.missing_patterns and not view.computed:
        out.append(s("ind.no_patterns", langs=" ".join(view.missing_patterns)))
    if view.missing_explanations:
        out.append(s("ind.no_expl", langs=" ".join(view.missing_explanations)))
    return out


async def indicator_list(request: web.Request) -> web.StreamResponse:
    files, drafted = working_files(request)
    rows = [
        {"view": view, "weight": f"{view.weight:g}", "tags": _status_tags(view),
         "lacks": "; ".join(_lacks_text(view))}
        for view in ind.indicators(files[ind.INDICATORS_FILE])
    ]
    using = s("try.using_draft") if drafted else s("try.using_live")
    return page(request, s("ind.title"), render("indicators.html", rows=rows, using=using))


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
        rows.append({
            "lang": lang, "name": _language_name(lang), "patterns": patterns,
            "explanation": expl, "rows": max(2, patterns.count("\n") + 2),
            "missing_patterns": not (patterns.strip() or view.computed),
            "missing_explanation": not expl.strip(),
        })
    return render("indicator_edit.html", view=view, rows=rows, token=session.csrf)


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
    notes: list[tuple[str, str]] = []
    results: list[dict[str, Any]] = []
    summary = ""
    files, drafted = working_files(request)
    if request.method == "POST":
        offers = [{"id": f"#{i + 1}", "lang": "", "text": line.strip()}
                  for i, line in enumerate(pasted.splitlines()) if line.strip()]
        if use_samples:
            offers += ind.samples()
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
    using = s("try.using_draft") if drafted else s("try.using_live")
    body = render(
        "try.html", token=session.csrf, using=using, pattern=pattern, pasted=pasted,
        use_samples=use_samples, results=results, summary=summary,
    )
    return page(request, s("try.title"), body, messages=notes)
