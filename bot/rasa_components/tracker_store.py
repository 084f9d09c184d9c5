"""The Redis tracker store: a flat cost per message, erasure, and expiry.

Rasa's own Redis store reads, merges and rewrites a conversation's whole JSON on every message,
so a conversation kept going for weeks gets slower with every turn. This one keeps the events in
a Redis list, appends only the new ones (one round trip), and reads back a bounded window:

* After ``TRACKER_SESSION_EVENTS`` events in one session, at the end of a turn (the bot is
  listening), the store starts a new session itself: ``session_started``, the slots that hold a
  value, ``action_listen`` — exactly what Rasa's ``action_session_start`` writes with
  ``carry_over_slots_to_new_session``. Every rule of this bot is one turn long and all state
  lives in slots, so the next prediction is unchanged.
* The window read back starts at the 5th-last user message before such a store-made session:
  the actions still see the last messages (the words a user may share with a caseworker), and
  the window stays about ``TRACKER_SESSION_EVENTS`` plus five turns long. A session that Rasa
  started (after ``session_expiration_time``) starts the window afresh, as in Rasa.

Events are appended at the position the loaded tracker ended at; Rasa's lock store serialises
the messages of one conversation, also across several Rasa servers. The whole history stays in
the list until the record expires (``record_exp``, refreshed on every write) or is erased.

An action cannot delete its own conversation: Rasa saves the tracker after the action ran. So
``action_erase_data`` only answers, and this store, seeing that action as the last one of the
turn, deletes the stored conversation instead of saving it, then asks for a (rate-limited)
rewrite of Redis's append-only file, which would otherwise keep the erased words on disk.
"""

from __future__ import annotations

import json
import logging
import os
import time
from collections.abc import Iterable, Sequence
from typing import Any

import redis
from rasa.core.tracker_store import RedisTrackerStore
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.events import (
    ActionExecuted,
    Event,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

from bot.identity import in_group
from bot.redis_server import request_aof_rewrite

logger = logging.getLogger(__name__)
ERASE_ACTION = "action_erase_data"
#: Events in one session before the store starts the next one (see the module docstring).
DEFAULT_SESSION_EVENTS = 40
SESSION_EVENTS_VARIABLE = "TRACKER_SESSION_EVENTS"
WINDOW_SUFFIX = "_window:"
#: User messages a new session keeps readable before it (a caseworker card quotes the last 5).
RECENT_USER_MESSAGES = 5
#: Metadata of a ``session_started`` written by this store (not by Rasa's session expiry).
CARRY_OVER_MARK = "carried_over_by_store"
#: The events from the window's start to the end, in one round trip (KEYS: events, window).
READ_WINDOW_SCRIPT = """
local start = tonumber(redis.call('HGET', KEYS[2], 'start') or '0')
return redis.call('LRANGE', KEYS[1], start, -1)
"""



def asked_to_erase(tracker: DialogueStateTracker) -> bool:
    """Whether the last turn (since the latest user message) ran the erase action."""
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            return False
        if isinstance(event, ActionExecuted) and event.action_name != ACTION_LISTEN_NAME:
            if event.action_name == ERASE_ACTION:
                return True
    return False


def session_events_from_env() -> int:
    """``TRACKER_SESSION_EVENTS`` (at least 20: a caseworker card quotes the last 5 messages)."""
    raw = (os.environ.get(SESSION_EVENTS_VARIABLE) or "").strip()
    return max(20, int(raw)) if raw else DEFAULT_SESSION_EVENTS


def carry_over_events(tracker: DialogueStateTracker, now: float) -> list[Event]:
    """A new session as Rasa's ``action_session_start`` writes it, slots carried over."""
    slots = [
        SlotSet(slot.name, slot.value, timestamp=now)
        for slot in tracker.slots.values()
        if slot.value != slot.initial_value
    ]
    return [
        SessionStarted(timestamp=now, metadata={CARRY_OVER_MARK: True}),
        *slots,
        ActionExecuted(ACTION_LISTEN_NAME, timestamp=now),
    ]


def ends_listening(tracker: DialogueStateTracker) -> bool:
    """Whether the turn is over: the last event is ``action_listen`` and no form is active."""
    last = tracker.events[-1] if tracker.events else None
    return (
        isinstance(last, ActionExecuted)
        and last.action_name == ACTION_LISTEN_NAME
        and not tracker.active_loop_name
    )


def recent_user_index(events: Sequence[Event], count: int) -> int:
    """Where the window must start to keep the last ``count`` user messages: the index of the
    ``count``-th last one, or of the latest session Rasa started if that is nearer, else 0."""
    seen = 0
    for index in range(len(events) - 1, -1, -1):
        event = events[index]
        if isinstance(event, SessionStarted) and not (event.metadata or {}).get(CARRY_OVER_MARK):
            return index
        if isinstance(event, UserUttered):
            seen += 1
            if seen == count:
                return index
    return 0


def new_events(events: Sequence[Event], loaded: int, last_stamp: float | None) -> list[Event]:
    """The events after those already stored: by position when the tracker was loaded from this
    store (its event ``loaded - 1`` carries the stored last timestamp), else by timestamp."""
    if last_stamp is None or loaded == 0:
        return list(events)
    if len(events) >= loaded and events[loaded - 1].timestamp == last_stamp:
        return list(events)[loaded:]
    return [e for e in events if e.timestamp > last_stamp]


class PrivacyRedisTrackerStore(RedisTrackerStore):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # endpoints.yml passes strings from environment variables
        # redis-py wants whole seconds for the expiry
        for name in ("port", "db", "record_exp"):
            if isinstance(kwargs.get(name), (str, float)):
                kwargs[name] = int(float(kwargs[name])) if str(kwargs[name]).strip() else None
        if kwargs.get("password") == "":
            kwargs["password"] = None
        session_events = kwargs.pop("session_events", None)
        super().__init__(*args, **kwargs)
        self.session_events = int(session_events or session_events_from_env())
        self.read_script = self.red.register_script(READ_WINDOW_SCRIPT)

    # -- keys ---------------------------------------------------------------------------------
    def events_key(self, sender_id: str) -> str:
        return self.key_prefix + sender_id

    def window_key(self, sender_id: str) -> str:
        """Hash: ``start`` (first event read back), ``session`` (latest session start),
        ``stamp`` (timestamp of the last stored event)."""
        return self.key_prefix.rstrip(":") + WINDOW_SUFFIX + sender_id

    # -- reading ------------------------------------------------------------------------------
    def read_window(self, sender_id: str) -> dict[str, str]:
        """The window hash, converting a conversation stored by Rasa's own store first."""
        window = self.red.hgetall(self.window_key(sender_id))
        if not window and self.red.type(self.events_key(sender_id)) == "string":
            self.migrate(sender_id)
            window = self.red.hgetall(self.window_key(sender_id))
        return window or {}

    def migrate(self, sender_id: str) -> None:
        """Rewrite one conversation saved as a JSON string (Rasa's format) as an event list."""
        key = self.events_key(sender_id)
        stored = self.red.get(key)
        try:
            events = json.loads(stored or "{}").get("events") or []
        except (ValueError, AttributeError):
            events = []
        ttl = self.red.ttl(key)
        self.red.delete(key, self.window_key(sender_id))
        if events:
            self.append(sender_id, events, 0, {}, ttl if ttl > 0 else self.record_exp)

    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
        """The current window of the conversation (see the module docstring): one round trip."""
        keys = [self.events_key(sender_id), self.window_key(sender_id)]
        try:
            raw = self.read_script(keys=keys)
        except redis.ResponseError:  # WRONGTYPE: a conversation stored by Rasa's own store
            raw = None
        if raw:
            return self.tracker_from(sender_id, raw)
        window = self.read_window(sender_id)  # converts a conversation stored by Rasa's store
        return self.load(sender_id, int(window.get("start", 0))) if window else None

    async def retrieve_full_tracker(self, sender_id: str) -> DialogueStateTracker | None:
        self.read_window(sender_id)
        return self.load(sender_id, 0)

    def load(self, sender_id: str, start: int) -> DialogueStateTracker | None:
        raw = self.red.lrange(self.events_key(sender_id), start, -1)
        return self.tracker_from(sender_id, raw) if raw else None

    def tracker_from(self, sender_id: str, raw: list[str]) -> DialogueStateTracker:
        events = [json.loads(item) for item in raw]
        return DialogueStateTracker.from_dict(
            sender_id, events, self.domain.slots, self.max_event_history
        )

    async def keys(self) -> Iterable[str]:
        prefix = self.key_prefix
        return [key[len(prefix):] for key in self.red.scan_iter(match=prefix + "*", count=500)]

    # -- writing ------------------------------------------------------------------------------
    async def save(self, tracker: DialogueStateTracker, timeout: float | None = None) -> None:
        if asked_to_erase(tracker) and not in_group(tracker.sender_id):  # groups: never erased
            self.erase(tracker.sender_id)
            return
        if self.event_broker is not None:
            await self.stream_events(tracker)
        sender_id = tracker.sender_id
        pipe = self.red.pipeline(transaction=False)
        pipe.hgetall(self.window_key(sender_id))
        pipe.llen(self.events_key(sender_id))
        window, stored = pipe.execute()
        start = int(window.get("start", 0))
        stamp = float(window["stamp"]) if "stamp" in window else None
        events = new_events(tracker.events, stored - start, stamp if stored else None)
        session = max(
            [stored + i for i, e in enumerate(events) if isinstance(e, SessionStarted)],
            default=int(window.get("session", 0)),
        )
        keep_from = None
        if stored + len(events) - session > self.session_events and ends_listening(tracker):
            if len(tracker.events) - len(events) == stored - start:  # loaded from `start`
                keep_from = start + recent_user_index(tracker.events, RECENT_USER_MESSAGES)
            events += carry_over_events(tracker, time.time())
        if events:
            self.append(sender_id, [e.as_dict() for e in events], stored, window,
                        timeout or self.record_exp, keep_from)

    def append(
        self, sender_id: str, events: list[dict[str, Any]], stored: int,
        window: dict[str, str], expiry: float | None, keep_from: int | None = None,
    ) -> None:
        """RPUSH ``events`` after ``stored`` ones and move the window (one MULTI round trip).

        A session this store started keeps the last user messages before it readable (from
        ``keep_from``, else the whole session before it); one Rasa started begins afresh."""
        start, session = int(window.get("start", 0)), int(window.get("session", 0))
        for index, event in enumerate(events, start=stored):
            if event.get("event") == SessionStarted.type_name:
                if (event.get("metadata") or {}).get(CARRY_OVER_MARK):
                    start = session if keep_from is None else max(keep_from, start)
                    session = index
                else:
                    start = session = index
        key, window_key = self.events_key(sender_id), self.window_key(sender_id)
        pipe = self.red.pipeline(transaction=True)
        pipe.rpush(key, *[json.dumps(e, ensure_ascii=False) for e in events])
        pipe.hset(window_key, mapping={
            "start": start, "session": session, "stamp": repr(events[-1].get("timestamp")),
        })
        if expiry:
            pipe.expire(key, int(expiry))
            pipe.expire(window_key, int(expiry))
        pipe.execute()

    def erase(self, sender_id: str) -> None:
        """Delete the conversation and its window; ask Redis to rewrite its append-only file."""
        self.red.delete(self.events_key(sender_id), self.window_key(sender_id))
        try:
            request_aof_rewrite(self.red)
        except Exception as exc:  # noqa: BLE001 - the stack retries the due rewrite
            logger.warning("append-only file rewrite not requested (%s)", type(exc).__name__)
