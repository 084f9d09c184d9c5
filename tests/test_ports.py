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
        picks = iter([taken, taken + 1])
        monkeypatch.setattr(ports.random, "randint", lambda low, high: next(picks))
        assert free_port() == taken + 1
