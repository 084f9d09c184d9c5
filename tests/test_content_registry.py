"""One registry of content files; caches start no thread (issue #17)."""

from __future__ import annotations

import importlib
import threading

from bot import content
from bot.content import CONTENT_DIR, accepts_directory
from bot.content import watcher as content_watcher
from bot.content.registry import BY_NAME, FILES, optional_modules, required_modules
from bot.engines import faq


def test_every_content_file_has_one_row_with_a_loader_taking_its_directory() -> None:
    shipped = {path.name for path in CONTENT_DIR.glob("*.yml")}
    assert shipped == set(BY_NAME), "a content file without a registry row (or the reverse)"
    assert len(BY_NAME) == len(FILES)
    for row in FILES:
        loader = getattr(importlib.import_module(row.module), row.loader)
        # optional content may only get the generic checks (publishing warns so)
        assert accepts_directory(loader) or row.optional, f"{row.loader} must take directory="
    assert "bot.engines.redflags" in required_modules()
    assert optional_modules() == ("bot.campaigns.subscriptions",)


def test_a_cache_lookup_starts_no_thread(monkeypatch) -> None:
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:1/0")  # configured, never reached
    before = {thread.name for thread in threading.enumerate()}
    faq.topics()
    after = {thread.name for thread in threading.enumerate()}
    assert "content-watcher" not in after - before
    assert content_watcher.watcher() is None
    assert content.current_source().version is None
