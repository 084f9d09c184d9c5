"""Validating a set of content files before it is published: every engine's own loader on the
set (from :mod:`bot.content.registry`) plus the checks of :mod:`bot.content.checks`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib
import tempfile
from pathlib import Path
from typing import Any

from bot.content import ContentError, accepts_directory, checks, parse_content_text
from bot.content.checks import (
    FILE_NAME_RE,
    Collector,
    Options,
    PublishError,
    Report,
    check_patterns,
    check_texts,
)
from bot.content.registry import BY_NAME, FILES

#: (loader function, file name, sha256 of the text) -> the ContentError it raised, or None.
#: A loader reads only its own file, so the same text gives the same outcome: repeated
#: validations (admin page, publish after validate, rollback) only rerun changed files.
_loader_outcomes: dict[tuple[Any, str, str], ContentError | None] = {}


def _run_loader(directory: Path, file: str, module: str, loader: str, out: Collector) -> None:
    try:
        function = getattr(importlib.import_module(module), loader, None)
        if function is None or not accepts_directory(function):
            out.warning(file, None, None, f"{module}.{loader}(directory) is not available: "
                        "only the generic checks were made")
            return
        path = directory / file
        digest = hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else ""
        key = (function, file, digest)
        if key in _loader_outcomes:
            if _loader_outcomes[key] is not None:
                out.error(_loader_outcomes[key])  # type: ignore[arg-type]
            return
        try:
            function(directory=directory)
            outcome = None
        except ContentError as exc:
            outcome = exc
        if digest:
            if len(_loader_outcomes) > 256:
                _loader_outcomes.clear()
            _loader_outcomes[key] = outcome
        if outcome is not None:
            out.error(outcome)
    except ModuleNotFoundError as exc:
        if exc.name != module:
            raise
    except Exception as exc:  # noqa: BLE001 - a loader bug is still a reason not to publish
        out.error(ContentError(file, None, None, f"loader failed: {type(exc).__name__}: {exc}"))


def validate_dir(
    directory: Path | str, max_age_months: int = 24, today: dt.date | None = None
) -> Report:
    """Validate the content files in ``directory`` (every engine's loader plus extra checks)."""
    directory = Path(directory)
    options = Options(max_age_months, today or dt.datetime.now(dt.timezone.utc).date())
    out = Collector()
    if not directory.is_dir():
        out.error(ContentError(str(directory), None, None, "is not a directory"))
        return out.report
    for row in FILES:
        if not row.optional or (directory / row.name).exists():
            _run_loader(directory, row.name, row.module, row.loader, out)
    for path in sorted(directory.glob("*.y*ml")):
        name = path.name
        if name not in BY_NAME:
            out.warning(name, None, None, "no engine reads this file")
        try:
            data = parse_content_text(name, path.read_text(encoding="utf-8"))
        except ContentError as exc:
            out.error(exc)
            continue
        except UnicodeDecodeError:
            out.error(ContentError(name, None, None, "is not UTF-8 text"))
            continue
        check_texts(name, data, out)
        check_patterns(name, data, out)
        for check in BY_NAME[name].checks if name in BY_NAME else ():
            getattr(checks, check)(name, data, out, options)
    if (directory / "concepts").is_dir():  # the recogniser's concept tables (session 25)
        from bot.engines.distress_training import read_concepts

        try:
            read_concepts(directory / "concepts")
        except ContentError as exc:
            out.error(exc)
    return out.report


def _check_names(files: dict[str, str]) -> None:
    for name, text in files.items():
        if not isinstance(name, str) or not FILE_NAME_RE.fullmatch(name):
            raise PublishError(f"{name!r}: not a content file name (lower-case, ending in .yml)")
        if not isinstance(text, str):
            raise PublishError(f"{name}: the file's content must be text")


def validate_files(files: dict[str, str], max_age_months: int = 24) -> Report:
    """Validate a set of content files given as ``{file name: YAML text}``."""
    try:
        _check_names(files)
    except PublishError as exc:
        return exc.report
    with tempfile.TemporaryDirectory(prefix="safejobs-validate-") as tmp:
        for name, text in files.items():
            (Path(tmp) / name).write_text(text, encoding="utf-8")
        return validate_dir(Path(tmp), max_age_months)
