"""The tracker store forgets a private conversation that asked to erase, never a group's."""

from __future__ import annotations

import asyncio

from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

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
