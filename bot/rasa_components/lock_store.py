"""Rasa's Redis lock store made safe for several Rasa processes sharing one Redis.

Rasa 3.6's ``RedisLockStore`` reads the conversation's ticket lock, changes it in Python and
writes it back with no transaction. Inside one process that is harmless (no ``await`` in
between), but two Rasa servers behind a load balancer can both read ticket N, both issue N+1
and then process the same conversation at once: one tracker save overwrites the other's events.
Or one deletes the lock while the other has just queued on it, and that message fails with a
``LockError``. Here every read-change-write is a Redis transaction (WATCH/MULTI, retried when
another process changed the lock in between), so tickets stay unique and ordered across
processes, and cleanup deletes the lock only if nobody queued meanwhile. The key expires a
little after its last ticket, so a process killed while holding one leaves nothing behind.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from typing import Any

import redis
from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

logger = logging.getLogger(__name__)
KEY_GRACE_S = 60  # the key outlives its newest ticket by this much
MAX_TRIES = 50  # optimistic retries before giving up (each one means another process won)


def endpoint_kwargs(endpoint_config: EndpointConfig) -> dict[str, Any]:
    """RedisLockStore's arguments from endpoints.yml, whose values come from env as strings."""
    kwargs = dict(endpoint_config.kwargs)
    kwargs.pop("type", None)
    for name in ("port", "db"):
        if isinstance(kwargs.get(name), str):
            kwargs[name] = int(kwargs[name]) if kwargs[name].strip() else None
    if kwargs.get("db") is None:
        kwargs["db"] = 0
    if kwargs.get("port") is None:
        kwargs.pop("port", None)
    if not kwargs.get("password"):
        kwargs["password"] = None
    return {"host": endpoint_config.url or "localhost", **kwargs}


class AtomicRedisLockStore(RedisLockStore):
    """RedisLockStore whose every lock change is one Redis transaction."""

    def __init__(self, endpoint_config: EndpointConfig | None = None, **kwargs: Any) -> None:
        if endpoint_config is not None:
            kwargs = {**endpoint_kwargs(endpoint_config), **kwargs}
        super().__init__(**kwargs)

    def _key(self, conversation_id: str) -> str:
        return self.key_prefix + conversation_id

    def _transact(
        self, conversation_id: str, change: Callable[[TicketLock | None], TicketLock | None]
    ) -> TicketLock | None:
        """Apply ``change`` to the stored lock atomically; a None result deletes the key."""
        key = self._key(conversation_id)
        for _ in range(MAX_TRIES):
            with self.red.pipeline(transaction=True) as pipe:
                try:
                    pipe.watch(key)
                    raw = pipe.get(key)
                    lock = TicketLock.from_dict(_loads(raw)) if raw else None
                    new = change(lock)
                    pipe.multi()
                    if new is None:
                        pipe.delete(key)
                    else:
                        pipe.set(key, new.dumps(), ex=_key_lifetime(new))
                    pipe.execute()
                    return new
                except redis.WatchError:
                    continue  # another process changed the lock: read it again
        raise LockError(f"lock for a conversation still contended after {MAX_TRIES} tries")

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        """A new ticket, unique across every process sharing this Redis."""
        issued: list[int] = []

        def add(lock: TicketLock | None) -> TicketLock:
            lock = lock or self.create_lock(conversation_id)
            issued[:] = [lock.issue_ticket(lock_lifetime)]
            return lock

        try:
            self._transact(conversation_id, add)
        except redis.RedisError as exc:
            raise LockError(f"Error while acquiring lock. Error:\n{exc}") from exc
        return issued[0]

    def update_lock(self, conversation_id: str) -> None:
        def prune(lock: TicketLock | None) -> TicketLock | None:
            if lock is not None:
                lock.remove_expired_tickets()
            return lock

        self._transact(conversation_id, prune)

    def finish_serving(self, conversation_id: str, ticket_number: int) -> None:
        def remove(lock: TicketLock | None) -> TicketLock | None:
            if lock is not None:
                lock.remove_ticket_for(ticket_number)
            return lock

        self._transact(conversation_id, remove)

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        """Drop our ticket; delete the lock in the same transaction if nobody is waiting."""

        def release(lock: TicketLock | None) -> TicketLock | None:
            if lock is None:
                return None
            lock.remove_ticket_for(ticket_number)
            return lock if lock.is_someone_waiting() else None

        self._transact(conversation_id, release)

    def save_lock(self, lock: TicketLock) -> None:
        self.red.set(self._key(lock.conversation_id), lock.dumps(), ex=_key_lifetime(lock))


def _loads(raw: bytes | str) -> dict[str, Any]:
    return json.loads(raw)


def _key_lifetime(lock: TicketLock) -> int:
    """Seconds until the newest ticket expires, plus a grace period."""
    newest = max((ticket.expires for ticket in lock.tickets), default=time.time())
    return max(1, int(newest - time.time()) + KEY_GRACE_S)
