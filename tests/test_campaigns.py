"""Alert subscriptions (actions, Redis), the campaign content schema and scheduling."""

from __future__ import annotations

import datetime as dtm
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import redis
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet

import actions.campaigns
import actions.handover
from actions.campaigns import START, STOP, ActionAlerts
from actions.common import menu_buttons
from actions.handover import ActionEraseData
from bot import LANGUAGES, campaigns
from bot.campaigns import (
    SUBSCRIBERS,
    AlreadySent,
    Campaign,
    schedule,
    status,
    subscribe,
    subscription,
    unsubscribe,
)
from bot.content import ContentError
from bot.i18n import t
from bot.redis_server import RedisTarget
from tests.helpers import all_buttons, all_text, make_tracker, run_action


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


def tracker(
    text: str,
    intent: str = "alerts",
    channel: str = "telegram",
    slots: dict[str, Any] | None = None,
    choice: str | None = None,
) -> Tracker:
    entities = [{"entity": "alerts_choice", "value": choice}] if choice else []
    return make_tracker(text, intent, slots, entities, sender_id="4711", channel=channel)


# -- the alerts action -----------------------------------------------------------------------------

START_PAYLOAD = '/alerts{"alerts_choice": "start"}'
STOP_PAYLOAD = '/alerts{"alerts_choice": "stop"}'


def start(language: str, channel: str = "telegram") -> list[dict[str, Any]]:
    messages, _ = run_action(
        ActionAlerts(),
        tracker(START_PAYLOAD, channel=channel, slots={"language": language}, choice=START),
    )
    return messages


def test_start_keeps_the_language_slot_and_nothing_else(client: redis.Redis) -> None:
    messages = start("km")
    assert all_text(messages) == t("km", "alerts.subscribed")
    assert [b["payload"] for b in all_buttons(messages)] == [STOP_PAYLOAD]
    stored = subscription("telegram", "4711", client)
    assert stored is not None
    assert set(stored) == {"channel", "recipient_id", "language", "subscribed_at"}
    assert stored["language"] == "km" and stored["recipient_id"] == "4711"
    assert client.sismember(SUBSCRIBERS, "telegram:4711")


def test_free_text_offers_alerts_and_subscribes_nobody(client: redis.Redis) -> None:
    text = "อยากรับการแจ้งเตือนเรื่องงานหลอกลวงค่ะ"
    messages, events = run_action(ActionAlerts(), tracker(text, channel="messenger"))
    assert all_text(messages) == t("th", "alerts.offer")
    assert [b["payload"] for b in all_buttons(messages)] == [START_PAYLOAD]
    assert SlotSet("language", "th") in events
    assert client.scard(SUBSCRIBERS) == 0


def test_free_text_from_a_subscriber_shows_the_stop_button(client: redis.Redis) -> None:
    start("vi")
    # "stop the alerts" and "I want alerts" get the same answer: the status and one button.
    for text in ("tắt cảnh báo đi", "gửi cảnh báo cho em"):
        messages, _ = run_action(ActionAlerts(), tracker(text, slots={"language": "vi"}))
        assert all_text(messages) == t("vi", "alerts.already")
        assert [b["payload"] for b in all_buttons(messages)] == [STOP_PAYLOAD]
    assert subscription("telegram", "4711", client) is not None


def test_starting_twice_says_so_and_updates_the_language(client: redis.Redis) -> None:
    start("vi")
    messages = start("id")
    assert all_text(messages) == t("id", "alerts.already")
    assert subscription("telegram", "4711", client)["language"] == "id"  # type: ignore[index]
    assert client.scard(SUBSCRIBERS) == 1


def test_stop_deletes_the_subscription(client: redis.Redis) -> None:
    start("ne")
    stop = tracker(STOP_PAYLOAD, slots={"language": "ne"}, choice=STOP)
    messages, _ = run_action(ActionAlerts(), stop)
    assert t("ne", "alerts.unsubscribed") in all_text(messages)
    assert subscription("telegram", "4711", client) is None
    assert not client.exists("safejobs:sub:telegram:4711")
    assert client.scard(SUBSCRIBERS) == 0
    again, _ = run_action(ActionAlerts(), stop)
    assert t("ne", "alerts.not_subscribed") in all_text(again)


def test_channels_that_cannot_push_are_not_subscribed(client: redis.Redis) -> None:
    asked, _ = run_action(ActionAlerts(), tracker("alerts?", channel="rest"))
    for messages in (start("en", channel="rest"), asked):
        assert t("en", "alerts.unavailable") in all_text(messages)
    assert client.scard(SUBSCRIBERS) == 0


def test_a_redis_failure_is_reported_not_raised(
    client: redis.Redis, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:1/0")  # nothing listens on port 1
    actions.campaigns.subscriptions_client.cache_clear()
    assert all_text(start("lo")) == t("lo", "alerts.failed")


def test_erase_my_data_also_unsubscribes(client: redis.Redis) -> None:
    start("tl")
    run_action(ActionEraseData(), tracker("/erase_data", "erase_data", slots={"language": "tl"}))
    assert subscription("telegram", "4711", client) is None
    assert client.scard(SUBSCRIBERS) == 0


def test_menu_offers_alerts_in_every_language() -> None:
    for language in LANGUAGES:
        buttons = menu_buttons(language)
        alerts = [b for b in buttons if b["payload"] == "/alerts"]
        assert alerts and alerts[0]["title"] == t(language, "menu.alerts")


def test_telegram_commands_map_to_the_intents() -> None:
    from bot.channels.telegram.input import command_intent

    assert command_intent("/subscribe") == START_PAYLOAD
    assert command_intent("/unsubscribe@safe_jobs_bot") == STOP_PAYLOAD


def test_module_functions_subscribe_and_unsubscribe(client: redis.Redis) -> None:
    assert subscribe("messenger", "p-1", "xx", client) is True  # unknown language → English
    assert subscription("messenger", "p-1", client)["language"] == "en"  # type: ignore[index]
    assert unsubscribe("messenger", "p-1", client) is True
    assert unsubscribe("messenger", "p-1", client) is False


# -- content ---------------------------------------------------------------------------------------


def test_shipped_campaigns_load() -> None:
    loaded = campaigns.load_campaigns()
    assert loaded, "bot/content/campaigns.yml has no campaign"
    for campaign in loaded.values():
        assert "en" in campaign.texts
        assert all(len(text) <= campaigns.MAX_TEXT for text in campaign.texts.values())
        if campaign.send_at is not None:
            assert campaign.send_at.tzinfo is not None


def _load(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str) -> Any:
    import bot.content

    (tmp_path / "campaigns.yml").write_text(text, encoding="utf-8")
    monkeypatch.setattr(bot.content, "CONTENT_DIR", tmp_path)
    return campaigns.load_campaigns()


@pytest.mark.parametrize(
    ("body", "entry", "field"),
    [
        ("campaigns:\n  - id: a\n    texts: {th: x}\n", "a", "texts.en"),
        ("campaigns:\n  - id: a\n    texts: {en: x, xx: y}\n", "a", "texts.xx"),
        ("campaigns:\n  - id: a\n    texts: {en: ''}\n", "a", "texts.en"),
        ("campaigns:\n  - id: A B\n    texts: {en: x}\n", "#1", "id"),
        ("campaigns:\n  - id: a\n    texts: {en: x}\n    send_at: '2026-12-01T09:00'\n", "a",
         "send_at"),
        ("campaigns:\n  - id: a\n    texts: {en: x}\n    languages: [en, klingon]\n", "a",
         "languages"),
        ("campaigns:\n  - id: a\n    texts: {en: x}\n  - id: a\n    texts: {en: y}\n", "a", "id"),
        ("campaigns:\n  - id: a\n    texts: {en: x}\n    sendat: soon\n", "a", "sendat"),
    ],
)  # fmt: skip
def test_schema_errors_name_entry_and_field(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, body: str, entry: str, field: str
) -> None:
    with pytest.raises(ContentError) as error:
        _load(tmp_path, monkeypatch, body)
    assert error.value.file == "campaigns.yml"
    assert (error.value.entry, error.value.field) == (entry, field)


def test_send_at_with_time_zone_and_fallback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    body = (
        "campaigns:\n  - id: c-1\n    send_at: 2026-12-01T09:00:00+07:00\n"
        "    languages: [th]\n    texts: {en: hello, th: สวัสดี}\n"
    )
    campaign = _load(tmp_path, monkeypatch, body)["c-1"]
    assert campaign.send_at == dtm.datetime(2026, 12, 1, 2, 0, tzinfo=dtm.timezone.utc)
    assert campaign.text_for("th") == ("th", "สวัสดี")
    assert campaign.text_for("km") == ("en", "hello")
    assert campaign.wants("th") and not campaign.wants("en")


# -- scheduling ------------------------------------------------------------------------------------


def test_schedule_snapshots_the_texts_and_refuses_a_second_run(client: redis.Redis) -> None:
    campaign = Campaign("c-2", {"en": "hello", "vi": "xin chào"})
    at = dtm.datetime(2030, 1, 1, tzinfo=dtm.timezone.utc)
    assert schedule(client, campaign, at) == at.timestamp()
    assert client.zscore(campaigns.DUE, "c-2") == at.timestamp()
    assert status(client, "c-2").status == "scheduled"
    schedule(client, campaign)  # not started yet: it may be moved (here: to now)
    client.hset(campaigns.run_key("c-2"), "status", "done")
    with pytest.raises(AlreadySent):
        schedule(client, campaign)
    assert status(client, "missing").status == "unknown"
