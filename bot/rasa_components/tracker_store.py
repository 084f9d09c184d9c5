"""Rasa's Redis tracker store, plus erasure: a user who asks to delete their data is forgotten.

An action cannot delete its own conversation: Rasa saves the tracker after the action ran. So
``action_erase_data`` only answers, and this store, seeing that action as the last one of the
turn, deletes the stored conversation instead of saving it, then asks for a (rate-limited)
rewrite of Redis's append-only file, which would otherwise keep the erased words on disk.
"""

from __future__ import annotations

import logging
from typing import Any

from rasa.core.tracker_store import RedisTrackerStore
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.identity import in_group
from bot.redis_server import request_aof_rewrite

logger = logging.getLogger(__name__)
ERASE_ACTION = "action_erase_data"


def asked_to_erase(tracker: DialogueStateTracker) -> bool:
    """Whether the last turn (since the latest user message) ran the erase action."""
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            return False
        if isinstance(event, ActionExecuted) and event.action_name != ACTION_LISTEN_NAME:
            if event.action_name == ERASE_ACTION:
                return True
    return False


class PrivacyRedisTrackerStore(RedisTrackerStore):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # endpoints.yml passes strings from environment variables
        # redis-py wants whole seconds for the expiry
        for name in ("port", "db", "record_exp"):
            if isinstance(kwargs.get(name), (str, float)):
                kwargs[name] = int(float(kwargs[name])) if str(kwargs[name]).strip() else None
        if kwargs.get("password") == "":
            kwargs["password"] = None
        super().__init__(*args, **kwargs)

    async def save(self, tracker: DialogueStateTracker, timeout: float | None = None) -> None:
        if asked_to_erase(tracker) and not in_group(tracker.sender_id):  # groups: never erased
            self.red.delete(self.key_prefix + tracker.sender_id)
            try:
                request_aof_rewrite(self.red)
            except Exception as exc:  # noqa: BLE001 - the stack retries the due rewrite
                logger.warning("append-only file rewrite not requested (%s)", type(exc).__name__)
            return
        await super().save(tracker, timeout)
