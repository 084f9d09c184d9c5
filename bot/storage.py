"""Redis: the one key prefix, the key names several modules share, and clients with set timeouts.

Every key the bot writes starts with :data:`PREFIX` (``safejobs``), built by :func:`key`; a module
keeps its own key names beside the code that uses them, built from here. Keys read and written by
more than one module (a user's records, a subscription, the intake streams) are named only here.

Timeouts: a hung Redis must never hang a process. Every client gets a connect and a read timeout
from :data:`TIMEOUTS` by what it serves: ``request`` (answering a person: fail fast, the channel
layer has a degraded answer), ``staff`` (admin page, CLI: a slower answer is fine), ``watch`` (the
content watcher's blocking pub/sub read) and ``probe`` (health checks).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # redis-py is imported by whoever builds a client
    import redis

    from bot.redis_server import RedisTarget

#: The first part of every Redis key.
PREFIX = "safejobs"


@dataclass(frozen=True)
class Timeouts:
    """Seconds to connect and to wait for one reply."""

    connect: float
    read: float


TIMEOUTS: dict[str, Timeouts] = {
    "request": Timeouts(connect=2, read=5),
    "staff": Timeouts(connect=3, read=10),
    "watch": Timeouts(connect=3, read=30),
    "probe": Timeouts(connect=1, read=2),
    "counter": Timeouts(connect=0.5, read=0.5),  # usage counts: never slow down an answer
}


def configured() -> bool:
    """This process was given a Redis (``REDIS_URL``, or ``REDIS_HOST`` as the stack sets)."""
    from bot import settings

    return settings.is_set("REDIS_URL") or settings.is_set("REDIS_HOST")


def key(*parts: object) -> str:
    """``safejobs:<part>:<part>...``."""
    return ":".join([PREFIX, *(str(part) for part in parts)])


def user_key(channel: str, sender_id: str, what: str) -> str:
    """One of a user's records (``cases``, ``last_seen``, ``outbox``, ``page``, ``message_ids``)."""
    return key("user", channel, sender_id, what)


def sub_key(channel: str, sender_id: str) -> str:
    """A campaign subscription (hash)."""
    return key("sub", channel, sender_id)


def intake_stream(channel: str) -> str:
    """The stream a channel's webhook stores updates in (:mod:`bot.channels.intake`)."""
    return key("intake", channel)


def failed_intake_stream(channel: str) -> str:
    """Where updates that could not be answered are set aside (they hold the person's words)."""
    return f"{intake_stream(channel)}:failed"


def client(kind: str = "request", target: RedisTarget | None = None) -> redis.Redis:
    """A client of ``target`` (default: the configured Redis) with the timeouts of ``kind``."""
    from bot.redis_server import target_from_env

    timeouts = TIMEOUTS[kind]
    return (target or target_from_env()).client(
        socket_connect_timeout=timeouts.connect, socket_timeout=timeouts.read
    )
