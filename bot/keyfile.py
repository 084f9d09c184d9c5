"""Secrets the stack makes up for itself, kept in files only their owner can read (0600)."""

from __future__ import annotations

import os
import secrets
from pathlib import Path


def write_secret(path: Path, value: str) -> None:
    """Write ``value`` to ``path`` (created 0600, replaced atomically)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(value)
    os.chmod(temporary, 0o600)
    os.replace(temporary, path)


def read_or_create_secret(path: Path, nbytes: int = 32) -> str:
    """The secret kept in ``path``; a new random one is stored there first if there is none.

    A file readable by others is not trusted (it is replaced), so a leaked copy cannot sign.
    """
    try:
        if path.stat().st_mode & 0o077 == 0:
            value = path.read_text(encoding="utf-8").strip()
            if len(value) >= 32:
                return value
    except OSError:
        pass
    value = secrets.token_urlsafe(nbytes)
    write_secret(path, value)
    return value
