"""An update processed again after a crash opens no second case (cases keyed by update id)."""

from __future__ import annotations

import pytest

from actions.handover import ActionCreateCase
from bot.cases import STREAM, Case, CaseStore, new_case_id
from bot.redis_server import RedisTarget
from tests.helpers import all_text, make_tracker, run_action


@pytest.fixture
def store(redis_target: RedisTarget, monkeypatch: pytest.MonkeyPatch) -> CaseStore:
    monkeypatch.setenv("REDIS_URL", f"redis://127.0.0.1:{redis_target.port}/0")
    client = redis_target.client()
    client.flushdb()
    return CaseStore(client)


def _case(sender: str = "telegram:42") -> Case:
    return Case(new_case_id(), "telegram", sender, "th", "MM", "TH", "urgent", ["CONFINEMENT"])


def test_same_update_key_gives_the_same_case(store: CaseStore) -> None:
    first = store.create(_case(), update_key="telegram:900")
    again = store.create(_case(), update_key="telegram:900")  # the update processed again
    other = store.create(_case(), update_key="telegram:901")
    plain = store.create(_case())  # no key (web chat, scripts): always a new case
    assert again == first and other != first and plain not in (first, other)
    assert store.redis.xlen(STREAM) == 3
    assert store.get(first) is not None and store.get(first).signals == ["CONFINEMENT"]
    assert store.redis.ttl(f"safejobs:case:{first}") > 0


def test_create_case_action_twice_for_one_update_opens_one_case(store: CaseStore) -> None:
    tracker = make_tracker(
        '/affirm{"consent": "without_words"}', intent="affirm", sender_id="telegram:43",
        channel="telegram", metadata={"update_key": "telegram:902"},
        entities=[{"entity": "consent", "value": "without_words"}],
    )  # fmt: skip
    first, _ = run_action(ActionCreateCase(), tracker)
    second, _ = run_action(ActionCreateCase(), tracker)  # after a crash, the same update again
    assert store.redis.xlen(STREAM) == 1
    assert all_text(first) == all_text(second)  # the same case id told both times
