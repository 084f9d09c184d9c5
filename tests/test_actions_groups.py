"""Telegram groups: hotlines yes; consent, cases, erasure and alerts only in a private chat."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest
import redis

import actions.campaigns
import actions.handover
from actions.campaigns import ActionAlerts
from actions.handover import CONSENT_SLOT, ActionCreateCase, ActionEraseData
from actions.help import ActionDistress, ActionHelp
from bot.casework.cases import Case, CaseStore
from bot.channels.casework import Casework
from bot.i18n import t
from bot.redis_server import RedisTarget
from tests.helpers import all_buttons, all_text, make_tracker, run_action

GROUP = "telegram:-100222"
LINK = "https://t.me/safejobs_test_bot?start=help"
DISTRESS = "help me i am in myawaddy they took my passport and beat us"


@pytest.fixture
def client(redis_target: RedisTarget, monkeypatch: pytest.MonkeyPatch) -> Iterator[redis.Redis]:
    monkeypatch.setenv("REDIS_URL", f"redis://127.0.0.1:{redis_target.port}/0")
    actions.campaigns.subscriptions_client.cache_clear()
    actions.handover.case_store.cache_clear()
    connection = redis_target.client()
    connection.flushdb()
    yield connection
    actions.campaigns.subscriptions_client.cache_clear()
    actions.handover.case_store.cache_clear()


def in_group(text: str, intent: str, **kwargs: Any) -> Any:
    return make_tracker(text, intent, metadata={"private_chat_url": LINK}, sender_id=GROUP,
                        channel="telegram", **kwargs)


def private_button(messages: list[dict[str, Any]]) -> bool:
    return {"title": t("en", "group.private_button"), "payload": LINK} in all_buttons(messages)


def test_distress_in_a_group_gets_hotlines_and_a_private_link_never_consent(
    client: redis.Redis,
) -> None:
    messages, events = run_action(ActionDistress(), in_group(DISTRESS, "distress"))
    assert any(ch.isdigit() for ch in messages[0]["text"])  # the hotlines, first
    assert t("en", "consent.ask") not in all_text(messages)
    assert t("en", "group.private") in all_text(messages) and private_button(messages)
    assert not any(e.get("name") == CONSENT_SLOT and e.get("value") for e in events)
    assert client.xlen("safejobs:cases") == 0


def test_need_help_in_a_group_adds_the_private_link_and_asks_no_country(
    client: redis.Redis,
) -> None:
    messages, _ = run_action(ActionHelp(), in_group("/need_help", "need_help"))
    assert private_button(messages)
    assert t("en", "help.ask_country") not in all_text(messages)


def test_no_case_no_erasure_no_alerts_in_a_group(client: redis.Redis) -> None:
    entities = [{"entity": "consent", "value": "with_words"}]
    messages, _ = run_action(ActionCreateCase(), in_group("/affirm", "affirm", entities=entities))
    assert private_button(messages) and client.xlen("safejobs:cases") == 0
    client.set("safejobs:user:telegram:telegram:-100222:outbox", "kept")
    messages, _ = run_action(ActionEraseData(), in_group("delete my data", "erase_data"))
    assert private_button(messages)
    assert client.exists("safejobs:user:telegram:telegram:-100222:outbox")
    start = [{"entity": "alerts_choice", "value": "start"}]
    messages, _ = run_action(ActionAlerts(), in_group("/alerts", "alerts", entities=start))
    assert private_button(messages) and client.scard("safejobs:subscribers") == 0


def test_the_code_word_in_a_group_opens_no_case(client: redis.Redis) -> None:
    messages, _ = run_action(ActionDistress(), in_group("blue umbrella", "distress"))
    assert private_button(messages) and client.xlen("safejobs:cases") == 0
    assert t("en", "code_word.reply") not in all_text(messages)  # no false "noted"


def test_caseworker_replies_never_go_to_a_group(client: redis.Redis) -> None:
    sent: list[tuple[str, str]] = []

    async def send(recipient: str, text: str) -> None:
        sent.append((recipient, text))

    work = Casework()
    work.__dict__["store"] = CaseStore(client)
    work.register("telegram", send)
    group_case = Case(id="AB12CD34", channel="telegram", sender_id=GROUP, language="en",
                      country=None, nationality=None, severity="urgent", signals=[])
    asyncio.run(work.send_to_user(group_case, "hello"))
    work.store.queue_for_user("telegram", GROUP, ["queued"])
    asyncio.run(work.user_wrote("telegram", GROUP))
    assert sent == []
    private = Case(**{**group_case.__dict__, "sender_id": "telegram:111"})
    asyncio.run(work.send_to_user(private, "hello"))
    assert sent == [("telegram:111", "hello")]
