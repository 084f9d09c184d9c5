"""``python -m bot status``: each process of the running stack: pid, up since, restarts, health.

Reads ``.run/status.json``, which the stack's supervisor rewrites every second; a file that is
not being updated means the stack itself is gone (its children may be left running).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

STALE_AFTER = 10.0  # seconds without an update: the stack process is not running


def status_path() -> Path:
    from bot.stack import STATUS_FILE

    return STATUS_FILE


def read_status(path: Path | None = None) -> dict[str, Any] | None:
    try:
        return json.loads((path or status_path()).read_text())
    except (OSError, ValueError):
        return None


def _alive(pid: int | None) -> bool:
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _since(timestamp: float | None, now: float) -> str:
    if not timestamp:
        return "-"
    moment = dt.datetime.fromtimestamp(timestamp).strftime("%Y-%m-%d %H:%M:%S")
    seconds = int(now - timestamp)
    return f"{moment} ({seconds // 3600}h{seconds % 3600 // 60:02d}m{seconds % 60:02d}s)"


def render(status: dict[str, Any], now: float | None = None) -> str:
    now = now if now is not None else time.time()
    lines = [f"{'process':<10} {'pid':>8}  {'up since':<32} {'restarts':>8}  health"]
    lines.append(f"{'stack':<10} {status['pid']:>8}  {_since(status['started_at'], now):<32} "
                 f"{'-':>8}  {'up' if _alive(status['pid']) else 'down'}")
    for service in status["services"]:
        pid = service.get("pid") or "-"
        health = service["health"]
        if service.get("last_exit") is not None and health in ("down", "starting"):
            health += f" (last exit {service['last_exit']})"
        lines.append(
            f"{service['name']:<10} {pid:>8}  {_since(service.get('up_since'), now):<32} "
            f"{service['restarts']:>8}  {health}"
        )
    for name, info in (status.get("in_process") or {}).items():
        if info:
            lines.append(f"{name:<10} {status['pid']:>8}  {'(in the stack process)':<32} "
                         f"{'-':>8}  port {info.get('port')}")
    return "\n".join(lines)


def _run(args: argparse.Namespace) -> int:
    status = read_status()
    if status is None:
        print("The stack is not running (no .run/status.json).", file=sys.stderr)
        return 1
    stale = time.time() - float(status.get("updated_at", 0)) > STALE_AFTER
    if stale or not _alive(status.get("pid")):
        print("The stack is not running (its status file is stale).", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(status, indent=1))
    else:
        print(render(status))
    healthy = all(s["health"] in ("healthy", "up") for s in status["services"])
    return 0 if healthy else 3


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "status", help="the running stack's processes: pid, up since, restarts, health"
    )
    parser.add_argument("--json", action="store_true", help="print the raw status as JSON")
    parser.set_defaults(func=_run)
