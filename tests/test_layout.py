"""The shape of the code: module sizes, private names, where settings are read (issue #17)."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

from bot import settings

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("bot", "actions")
MAX_LINES = 400
#: Modules allowed to stay bigger, each with its reason. Keep this list short.
BIG_MODULES: dict[str, str] = {}
#: Modules that may read the environment themselves, each with its reason.
ENV_READERS: dict[str, str] = {
    "bot/settings.py": "the one place",
}
ENV_READER_DIRS: dict[str, str] = {
    "bot/channels/": "restructured in parallel by the channels branch (reads move there)",
}


def modules() -> Iterator[Path]:
    for package in PACKAGES:
        yield from sorted((ROOT / package).rglob("*.py"))


def rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def is_module(dotted: str) -> bool:
    base = ROOT.joinpath(*dotted.split("."))
    return base.with_suffix(".py").is_file() or (base / "__init__.py").is_file()


def private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def private_uses(source: str, own: str) -> list[str]:
    """``from x import _y`` and ``x._y`` where ``x`` is another module of the project."""
    tree = ast.parse(source)
    aliases: dict[str, str] = {}  # local name -> project module it is bound to
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module.split(".")[0] not in PACKAGES:
                continue
            for alias in node.names:
                if private(alias.name) and node.module != own:
                    found.append(f"from {node.module} import {alias.name}")
                if is_module(f"{node.module}.{alias.name}"):
                    aliases[alias.asname or alias.name] = f"{node.module}.{alias.name}"
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] in PACKAGES:
                    aliases[alias.asname or alias.name.split(".")[0]] = (
                        alias.name if alias.asname else alias.name.split(".")[0]
                    )
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and private(node.attr):
            chain: list[str] = []
            value: ast.expr = node.value
            while isinstance(value, ast.Attribute):
                chain.insert(0, value.attr)
                value = value.value
            if isinstance(value, ast.Name) and value.id in aliases:
                target = ".".join([aliases[value.id], *chain])
                if is_module(target) and target != own:
                    found.append(f"{target}.{node.attr} (line {node.lineno})")
    return found


def test_no_private_name_is_used_outside_its_module() -> None:
    problems = {
        rel(p): uses
        for p in modules()
        if (uses := private_uses(p.read_text(encoding="utf-8"), module_name(p)))
    }
    assert not problems, f"private names used across modules: {problems}"


def test_the_private_name_check_catches_both_forms() -> None:
    source = "from bot.engines.triage import _x\nfrom bot.engines import triage\ntriage._y\n"
    assert len(private_uses(source, "bot.probe")) == 2
    assert private_uses(source, "bot.engines.triage") == []


def test_no_module_is_over_the_size_limit() -> None:
    big = {
        rel(p): n
        for p in modules()
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES
        and rel(p) not in BIG_MODULES
    }
    assert not big, f"modules over {MAX_LINES} lines (split, or allow-list with a reason): {big}"


def env_reads(path: Path) -> list[int]:
    """Lines reading one variable: ``os.environ.get/[]/in``, ``os.getenv`` (copies are fine)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))

    def is_environ(node: ast.AST) -> bool:
        return (
            isinstance(node, ast.Attribute)
            and node.attr == "environ"
            and isinstance(node.value, ast.Name)
            and node.value.id == "os"
        )

    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            func = node.func
            if func.attr == "get" and is_environ(func.value):
                lines.append(node.lineno)
            if func.attr == "getenv" and isinstance(func.value, ast.Name) and func.value.id == "os":
                lines.append(node.lineno)
        elif isinstance(node, ast.Subscript) and is_environ(node.value):
            if isinstance(node.ctx, ast.Load):
                lines.append(node.lineno)
        elif isinstance(node, ast.Compare) and any(is_environ(c) for c in node.comparators):
            lines.append(node.lineno)
    return lines


def test_environment_variables_are_read_in_settings_only() -> None:
    readers = {
        rel(p): lines
        for p in modules()
        if (lines := env_reads(p))
        and rel(p) not in ENV_READERS
        and not any(rel(p).startswith(d) for d in ENV_READER_DIRS)
    }
    assert not readers, f"read environment variables through bot.settings: {readers}"


def readme_settings() -> set[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    names: set[str] = set()
    for line in section.splitlines():
        if line.startswith("| `"):
            names.update(re.findall(r"`([A-Z][A-Z0-9_]+)`", line.split("|")[1]))
    return names


def test_every_setting_is_in_the_readme_table_and_back() -> None:
    documented = readme_settings()
    assert sorted(set(settings.SETTINGS) - documented) == [], "add them to README's table"
    assert sorted(documented - set(settings.SETTINGS)) == [], "add them to bot/settings.py"


#: What an engine must not import: Rasa, HTTP, Redis (rules come in as content or arguments).
ENGINE_FORBIDDEN = ("rasa", "rasa_sdk", "sanic", "aiohttp", "httpx", "requests", "redis",
                    "bot.storage", "bot.redis_server", "bot.channels", "bot.rasa_components")


def test_engines_import_no_rasa_http_or_redis() -> None:
    found = {}
    for path in sorted((ROOT / "bot" / "engines").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
        names += [n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module]
        bad = [n for n in names if any(n == f or n.startswith(f + ".") for f in ENGINE_FORBIDDEN)]
        if bad:
            found[rel(path)] = bad
    assert not found, f"engines must stay free of Rasa/HTTP/Redis: {found}"
