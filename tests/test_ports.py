"""The loopback port allocator every test, bench and local stack uses."""

from __future__ import annotations

import socket

from bot import ports
from bot.ports import free_port


def test_ports_are_new_to_the_process_and_below_the_ephemeral_range() -> None:
    with open("/proc/sys/net/ipv4/ip_local_port_range") as handle:
        ephemeral_start = int(handle.read().split()[0])
    ports = [free_port() for _ in range(200)]
    assert len(set(ports)) == len(ports)
    assert all(port < ephemeral_start for port in ports)


def test_a_port_someone_listens_on_is_skipped(monkeypatch) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", free_port()))
        busy.listen()
        taken = busy.getsockname()[1]
        draws: list[int] = []
        draw = ports.random.randint

        def busy_first(low: int, high: int) -> int:
            # The busy port first, then ordinary draws: taken + 1 might be in use or already
            # handed out by an earlier test (CI once ran out of a two-item list that way).
            draws.append(taken if not draws else draw(low, high))
            return draws[-1]

        monkeypatch.setattr(ports.random, "randint", busy_first)
        port = free_port()
        assert draws[0] == taken and port != taken and port == draws[-1] and len(draws) >= 2
