"""Browser tests run only when asked for by path (``make browser-test`` = ``pytest tests/browser``).

They need Debian's chromium and start the whole stack, so ``pytest`` / ``pytest -m slow`` over
``tests/`` leaves them out instead of running them twice in ``make test``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent


def _asked_for(config: pytest.Config) -> bool:
    for arg in config.args:
        path = Path(str(arg).split("::", 1)[0]).resolve()
        if path == HERE or HERE in path.parents:
            return True
    return False


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    if collection_path.suffix == ".py" and not _asked_for(config):
        return True
    return None
