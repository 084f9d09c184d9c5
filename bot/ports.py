"""Loopback ports for the processes a test, bench or local stack starts.

Decision: ports come from below the kernel's ephemeral range (read from
/proc/sys/net/ipv4/ip_local_port_range, 32768 by default). Binding to port 0 hands out an
ephemeral port that is free *now*, but it is released before the server binds it, and in the
meantime any outbound connection (a Redis client, an HTTP call) may take it as its source port,
or a second call may get the same number back: CI once saw an action server fail with "address
already in use" that way. A port handed out here is also remembered, so one process never hands
out the same port twice.
"""

from __future__ import annotations

import random
import socket
import threading
from pathlib import Path

_RANGE_FILE = Path("/proc/sys/net/ipv4/ip_local_port_range")
_LOWEST = 20000
_handed_out: set[int] = set()
_lock = threading.Lock()


def _ephemeral_start() -> int:
    try:
        return int(_RANGE_FILE.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 32768


def _bindable(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def free_port() -> int:
    """A loopback port nobody listens on, outside the ephemeral range, new to this process."""
    highest = max(_ephemeral_start() - 1, _LOWEST + 1000)
    with _lock:
        for _ in range(2000):
            port = random.randint(_LOWEST, highest)
            if port not in _handed_out and _bindable(port):
                _handed_out.add(port)
                return port
    raise RuntimeError(f"no free loopback port between {_LOWEST} and {highest}")
