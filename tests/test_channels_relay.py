"""Rasa's relay input for the gateway: only platform conversation ids, channel from the id."""

from __future__ import annotations

from bot.channels.relay import RelayInput, relay_channel, relay_sender


class FakeRequest:
    def __init__(self, body: object) -> None:
        self.json = body


def test_relay_takes_only_platform_conversation_ids() -> None:
    assert relay_sender("telegram:123") == "telegram:123"
    assert relay_sender("messenger:psid-1") == "messenger:psid-1"
    for bad in ("web:abc", "rest:x", "123", "", "telegram:", 123, None, "telegram:" + "9" * 200):
        assert relay_sender(bad) is None


def test_relay_input_channel_is_the_senders_never_the_bodys() -> None:
    relay = RelayInput("secret")
    body = {"sender": "messenger:p1", "input_channel": "telegram", "metadata": {"a": 1}}
    assert relay_channel(body) == "messenger"
    assert relay.get_metadata(FakeRequest(body)) == {"a": 1}
    assert relay.get_metadata(FakeRequest({"metadata": {str(i): i for i in range(99)}})) is None
