"""The tracker store: appends in order, reads a bounded window, expires, converts, erases."""

from __future__ import annotations

import asyncio
import json

from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity

from bot.rasa_components.tracker_store import ERASE_ACTION, PrivacyRedisTrackerStore
from bot.redis_server import RedisTarget


def test_erase_forgets_a_private_chat_but_not_a_group(redis_target: RedisTarget) -> None:
    store = PrivacyRedisTrackerStore(
        Domain.empty(), host="127.0.0.1", port=str(redis_target.port), db="0",
        key_prefix="safejobs", record_exp="60",
    )
    client = redis_target.client()
    for sender in ("telegram:111", "telegram:-100222"):
        tracker = DialogueStateTracker(sender, [])
        tracker.update(UserUttered("hi"))
        asyncio.run(store.save(tracker))
        tracker.update(UserUttered("delete my data"))
        tracker.update(ActionExecuted(ERASE_ACTION))
        asyncio.run(store.save(tracker))
    assert not client.exists("safejobs:tracker:telegram:111")
    assert client.exists("safejobs:tracker:telegram:-100222")  # one member cannot erase a group


DOMAIN = Domain.from_yaml(
    """
version: "3.1"
intents: [greet]
slots:
  language: {type: text, influence_conversation: false, mappings: [{type: custom}]}
  awaiting_consent:
    type: bool
    initial_value: false
    influence_conversation: true
    mappings: [{type: custom}]
"""
)


def make_store(redis_target: RedisTarget, session_events: int = 20) -> PrivacyRedisTrackerStore:
    return PrivacyRedisTrackerStore(
        DOMAIN, host="127.0.0.1", port=str(redis_target.port), db="0",
        key_prefix="safejobs", record_exp="600", session_events=session_events,
    )


def one_turn(store: PrivacyRedisTrackerStore, sender: str, text: str) -> DialogueStateTracker:
    """What Rasa does per message: load the window, add the turn's events, save."""
    tracker = asyncio.run(store.retrieve(sender)) or DialogueStateTracker(sender, DOMAIN.slots)
    tracker.update(UserUttered(text))
    tracker.update(ActionExecuted("action_greet"))
    tracker.update(SlotSet("language", "th"))
    tracker.update(ActionExecuted(ACTION_LISTEN_NAME))
    asyncio.run(store.save(tracker))
    return tracker


def user_texts(tracker: DialogueStateTracker) -> list[str]:
    return [e.text for e in tracker.events if isinstance(e, UserUttered)]


def test_events_are_appended_in_order_and_expire(redis_target: RedisTarget) -> None:
    store, client = make_store(redis_target, session_events=1000), redis_target.client()
    for n in range(5):
        one_turn(store, "rest:order", f"message {n}")
    tracker = asyncio.run(store.retrieve("rest:order"))
    assert tracker is not None
    assert user_texts(tracker) == [f"message {n}" for n in range(5)]
    assert client.llen("safejobs:tracker:rest:order") == 20  # appended, never rewritten
    assert 0 < client.ttl("safejobs:tracker:rest:order") <= 600
    assert 0 < client.ttl("safejobs:tracker_window:rest:order") <= 600
    keys = list(asyncio.run(store.keys()))
    assert "rest:order" in keys and not any("window" in key for key in keys)


def test_a_long_conversation_reads_a_bounded_window_with_slots_carried_over(
    redis_target: RedisTarget,
) -> None:
    store, client = make_store(redis_target, session_events=20), redis_target.client()
    sent: list[str] = []
    for n in range(60):
        tracker = one_turn(store, "rest:long", f"message {n}")
        sent.append(f"message {n}")
        if n >= 4:  # the words a caseworker card may quote are always in the window
            window = asyncio.run(store.retrieve("rest:long"))
            assert window is not None and len(window.events) <= 2 * 20 + 8
            assert user_texts(window)[-5:] == sent[-5:]
        if n == 3:
            sent.append("they took my passport")
            tracker.update(UserUttered("they took my passport"))
            tracker.update(ActionExecuted("action_distress"))
            tracker.update(SlotSet("awaiting_consent", True))
            tracker.update(ActionExecuted(ACTION_LISTEN_NAME))
            asyncio.run(store.save(tracker))
    window = asyncio.run(store.retrieve("rest:long"))
    assert window is not None
    assert len(window.events) <= 2 * 20 + 8  # two sessions at most, whatever the length
    assert user_texts(window)[-5:] == [f"message {n}" for n in range(55, 60)]
    assert window.get_slot("language") == "th"
    assert window.get_slot("awaiting_consent") is True  # carried over from turn 3
    assert isinstance(window.applied_events()[0], SlotSet)  # the policy sees the new session
    full = asyncio.run(store.retrieve_full_tracker("rest:long"))
    assert full is not None
    texts = [t for t in user_texts(full) if t.startswith("message")]
    assert texts == [f"message {n}" for n in range(60)]  # all kept, in order
    assert client.llen("safejobs:tracker:rest:long") == len(full.events)
    assert sum(isinstance(e, SessionStarted) for e in full.events) >= 10


def test_a_session_rasa_started_starts_the_window_afresh(redis_target: RedisTarget) -> None:
    store = make_store(redis_target, session_events=1000)
    tracker = one_turn(store, "rest:expired", "before")
    tracker.update(SessionStarted())
    tracker.update(ActionExecuted(ACTION_LISTEN_NAME))
    asyncio.run(store.save(tracker))
    one_turn(store, "rest:expired", "after")
    window = asyncio.run(store.retrieve("rest:expired"))
    assert window is not None and user_texts(window) == ["after"]


def test_erase_deletes_the_events_and_the_window(redis_target: RedisTarget) -> None:
    store, client = make_store(redis_target, session_events=20), redis_target.client()
    for n in range(30):
        tracker = one_turn(store, "rest:gone", f"message {n}")
    tracker.update(UserUttered("delete my data"))
    tracker.update(ActionExecuted(ERASE_ACTION))
    asyncio.run(store.save(tracker))
    assert not client.exists("safejobs:tracker:rest:gone", "safejobs:tracker_window:rest:gone")
    assert asyncio.run(store.retrieve("rest:gone")) is None


def test_a_conversation_saved_by_rasas_own_store_is_converted(redis_target: RedisTarget) -> None:
    store, client = make_store(redis_target), redis_target.client()
    old = DialogueStateTracker("rest:old", DOMAIN.slots)
    old.update(UserUttered("from before the upgrade"))
    old.update(ActionExecuted(ACTION_LISTEN_NAME))
    client.set("safejobs:tracker:rest:old", json.dumps(old.current_state(EventVerbosity.ALL)),
               ex=300)
    one_turn(store, "rest:old", "after the upgrade")
    tracker = asyncio.run(store.retrieve("rest:old"))
    assert tracker is not None
    assert user_texts(tracker) == ["from before the upgrade", "after the upgrade"]
    assert client.type("safejobs:tracker:rest:old") == b"list"
