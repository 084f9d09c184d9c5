"""``python -m bot content``: validate, publish, roll back content and read the audit log.

Redis comes from ``REDIS_URL`` (else ``REDIS_HOST``/``REDIS_PORT``…). ``validate`` needs none.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

#: Exit codes: 0 fine (warnings printed), 1 invalid content / refused, 2 Redis unreachable.
EXIT_INVALID, EXIT_REDIS = 1, 2


def _directory(args: argparse.Namespace) -> Path:
    from bot import content

    return Path(args.directory) if args.directory else content.CONTENT_DIR


def _print_report(report: Any) -> None:
    for line in report.errors:
        print(f"ERROR   {line}")
    for line in report.warnings:
        print(f"warning {line}")
    verdict = "OK" if report.ok else f"{len(report.errors)} error(s)"
    print(f"{verdict}, {len(report.warnings)} warning(s)")


def _redis_failed(exc: Exception) -> int:
    from bot.redis_server import target_from_env

    try:
        where = target_from_env().display
    except Exception:  # noqa: BLE001 - a bad REDIS_URL is reported as such below
        where = "REDIS_URL"
    print(
        f"Redis at {where} is unreachable ({type(exc).__name__}). Set REDIS_URL to the "
        "bot's Redis (redis://host:port/db).",
        file=sys.stderr,
    )
    return EXIT_REDIS


def _with_redis(function: Any) -> Any:
    def run(args: argparse.Namespace) -> int:
        import redis

        from bot.content.checks import PublishError
        from bot.redis_server import StartupError

        try:
            return int(function(args) or 0)
        except PublishError as exc:
            _print_report(exc.report)
            print(f"Refused: {exc.problem}", file=sys.stderr)
            return EXIT_INVALID
        except (redis.RedisError, StartupError) as exc:
            return _redis_failed(exc)

    return run


def validate(args: argparse.Namespace) -> int:
    from bot.content.validate import validate_dir

    report = validate_dir(_directory(args), args.max_age_months)
    _print_report(report)
    return 0 if report.ok else EXIT_INVALID


@_with_redis
def publish(args: argparse.Namespace) -> int:
    from bot.content.validate import validate_dir
    from bot.content.versions import publish as do_publish
    from bot.content.versions import read_dir

    directory = _directory(args)
    report = validate_dir(directory, args.max_age_months)
    _print_report(report)
    if not report.ok:
        return EXIT_INVALID
    version = do_publish(
        read_dir(directory),
        args.who,
        args.note,
        replace=True,
        max_age_months=args.max_age_months,
    )
    print(f"Published version {version}; running processes load it within seconds.")
    return 0


@_with_redis
def rollback(args: argparse.Namespace) -> int:
    from bot.content.versions import rollback as do_rollback

    version = do_rollback(args.version, args.who, note=args.note)
    print(f"Version {version or 'shipped (0)'} is active again.")
    return 0


@_with_redis
def history(args: argparse.Namespace) -> int:
    from bot.content.versions import history as read_history

    entries = read_history(args.limit)
    if args.json:
        for entry in entries:
            print(json.dumps(entry, ensure_ascii=False))
        return 0
    if not entries:
        print("No content has been published yet.")
    for e in entries:
        note = f" — {e['note']}" if e.get("note") else ""
        print(
            f"{e['when']}  {e['who']:<16} {e['action']:<8} v{e['version']} "
            f"(was v{e.get('previous', 0)}): {e.get('summary', '')}{note}"
        )
    return 0


@_with_redis
def versions(args: argparse.Namespace) -> int:
    from bot.content.versions import versions as list_versions

    for v in list_versions():
        mark = "*" if v["active"] else " "
        print(
            f"{mark} v{v['version']:<4} {v.get('when', '')}  {v.get('who', ''):<16} "
            f"{v.get('summary', '')}"
        )
    return 0


@_with_redis
def status(args: argparse.Namespace) -> int:
    from bot.content.versions import active_version, statuses

    print(f"Active version: {active_version() or 'shipped files'}")
    for s in statuses():
        state = "ok" if s.get("ok") == "1" else f"FAILED v{s.get('wanted')}: {s.get('error')}"
        print(f"  {s['process']:<32} serving v{s.get('version', '0')}  {state}  ({s['updated']})")
    return 0


def hotlines_table(args: argparse.Namespace) -> int:
    """Print (or write into README.md) the per-country / per-nationality coverage table."""
    from bot.content.hotlines_table import render_table, update_readme

    if args.write:
        readme = Path(__file__).resolve().parents[2] / "README.md"
        print("README.md updated" if update_readme(readme) else "README.md already up to date")
    else:
        print(render_table())
    return 0


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "content",
        help="validate, publish and roll back campaign content (hot reload, audited)",
        description="Content files are the YAML files of content/. Publishing stores a "
        "numbered version in Redis; every running server picks it up within seconds.",
    )
    sub = parser.add_subparsers(dest="content_command", metavar="ACTION")

    def add(name: str, func: Any, help_text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.set_defaults(func=func)
        return p

    for name, func, text in (
        ("validate", validate, "check a content directory (default: the shipped content)"),
        ("publish", publish, "validate a content directory and make it the active version"),
    ):
        p = add(name, func, text)
        p.add_argument("directory", nargs="?", help="content directory (default: content/)")
        p.add_argument(
            "--max-age-months",
            type=int,
            default=24,
            help="warn when a hotline was verified longer ago (default 24)",
        )
        if name == "publish":
            p.add_argument("--who", required=True, help="your name, for the audit log")
            p.add_argument("--note", default="", help="what changed and why")
    p = add("rollback", rollback, "activate an earlier version (default: the one before)")
    p.add_argument("version", nargs="?", type=int, help="version number; 0 = shipped files")
    p.add_argument("--who", required=True, help="your name, for the audit log")
    p.add_argument("--note", default="", help="why")
    p = add("history", history, "print the audit log, newest first")
    p.add_argument("--limit", type=int, default=50)
    p.add_argument("--json", action="store_true", help="one JSON object per line")
    add("versions", versions, "list stored versions (* = active)")
    add("status", status, "the active version and what each running process serves")
    p = add("hotlines-table", hotlines_table, "the README table of known contacts and sources")
    p.add_argument("--write", action="store_true", help="replace the table in README.md")
    parser.set_defaults(func=lambda args: parser.print_help() or 0)
