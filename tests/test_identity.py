"""Conversation ids carry their channel; no channel turns another's id into a recipient."""

from __future__ import annotations

import pytest

from bot.campaigns.senders import platform_id
from bot.channels.rest import RefusedSender, rest_sender
from bot.identity import ForeignId, channel_of, conversation_id, in_group, native_id
from bot.limits import MAX_MESSAGE_CHARS, cap_message


def test_ids_round_trip_only_in_their_own_channel() -> None:
    tg = conversation_id("telegram", 4242)
    assert tg == "telegram:4242" and channel_of(tg) == "telegram"
    assert native_id("telegram", tg) == "4242"
    for other in ("messenger", "web", "rest"):
        with pytest.raises(ForeignId):
            native_id(other, tg)
    with pytest.raises(ForeignId):
        native_id("telegram", "4242")  # a bare id names nobody
    with pytest.raises(ForeignId):
        native_id("telegram", "telegram:")
    with pytest.raises(ValueError):
        conversation_id("sms", 1)


def test_groups_are_told_apart_by_their_negative_chat_id() -> None:
    assert in_group("telegram:-100222")
    assert not in_group("telegram:111")
    assert not in_group("web:-abc")  # only Telegram has groups
    assert not in_group("-100222")


def test_the_rest_channel_keeps_ids_in_their_lane() -> None:
    assert rest_sender("web:abc") == "web:abc"
    assert rest_sender("rest:script-1") == "rest:script-1"
    assert rest_sender("stack-test-1") == "rest:stack-test-1"
    assert rest_sender(42) == "rest:42"
    for forged in ("telegram:4242", "messenger:99", "sms:1", "a:b", "", " ", "x" * 129, None,
                   True, ["telegram:1"]):
        with pytest.raises(RefusedSender):
            rest_sender(forged)


def test_broadcast_reads_new_and_pre_prefix_subscriber_ids() -> None:
    assert platform_id("telegram", "telegram:4242") == "4242"
    assert platform_id("telegram", "4242") == "4242"  # subscribed before ids had a channel
    with pytest.raises(ForeignId):
        platform_id("telegram", "messenger:4242")


def test_one_input_cap_cuts_and_never_refuses() -> None:
    assert cap_message("a" * (MAX_MESSAGE_CHARS + 50)) == "a" * MAX_MESSAGE_CHARS
    assert cap_message(None) == "" and cap_message(12) == "12"
