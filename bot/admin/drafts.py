"""The staff's working copy of the content files (a draft in Redis) and the live files."""

from __future__ import annotations

import datetime as dt
import json
import logging
from typing import Any

from aiohttp import web

from bot.admin.auth import Session
from bot.admin.web import DRAFT_KEY, REDIS_KEY

log = logging.getLogger(__name__)

# --- drafts ----------------------------------------------------------------------------------


def publishing() -> Any:
    from bot.content import versions as publishing

    return publishing


def live_files(request: web.Request) -> dict[str, str]:
    return publishing().current_files(client=request.app[REDIS_KEY])


def live_version(request: web.Request) -> int | None:
    return publishing().active_version(client=request.app[REDIS_KEY])


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
