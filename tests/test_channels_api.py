"""One sender per platform: what the Bot API's and the Send API's errors mean, for everyone."""

from __future__ import annotations

import httpx
import pytest
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.channels.common import DeliveryFailed
from bot.channels.messenger.api import error_meaning as graph_meaning
from bot.channels.telegram.api import chat_sender, error_meaning, make_bot
from tests.fakes.servers import FakeTelegram


def _network(cause: Exception) -> NetworkError:
    try:
        raise NetworkError("x") from cause
    except NetworkError as exc:
        return exc


def test_telegram_error_meaning() -> None:
    assert error_meaning(RetryAfter(3)).kind == "retry"
    assert error_meaning(RetryAfter(3)).retry_after == 3.0
    assert error_meaning(Forbidden("bot was blocked by the user")).kind == "blocked"
    assert error_meaning(BadRequest("Chat not found")).kind == "blocked"
    assert error_meaning(BadRequest("Can't parse entities")).kind == "failed"
    assert error_meaning(TimedOut()).kind == "uncertain"  # maybe sent: never resent blindly
    assert error_meaning(_network(httpx.ConnectError("refused"))).kind == "retry"
    assert error_meaning(_network(httpx.RemoteProtocolError("cut"))).kind == "uncertain"
    assert error_meaning(NetworkError("Bad Gateway")).kind == "retry"  # a 5xx


@pytest.mark.parametrize(
    ("status", "body", "kind"),
    [
        (200, {"message_id": "m.1"}, "sent"),
        (429, {}, "retry"),
        (400, {"error": {"code": 613}}, "retry"),
        (503, {}, "retry"),
        (401, {}, "token"),
        (400, {"error": {"code": 190}}, "token"),
        (400, {"error": {"code": 10, "error_subcode": 2018278}}, "outside_window"),
        (400, {"error": {"code": 551}}, "blocked"),
        (400, {"error": {"code": 100}}, "failed"),
    ],
)
def test_messenger_error_meaning(status: int, body: dict, kind: str) -> None:
    assert graph_meaning(httpx.Response(status, json=body)).kind == kind


async def test_operators_chat_sender_retries_flood_and_reports_refusals() -> None:
    fake = FakeTelegram().start()
    try:
        fake.flood_left = 1  # one 429 (retry_after 1), then taken
        send = chat_sender(make_bot("1:A", fake.base_url), "-100")
        assert await send("card") >= 1
        assert len(fake.calls("sendMessage")) == 2
        fake.blocked.add("-100")
        with pytest.raises(DeliveryFailed) as refused:
            await send("card")
        assert refused.value.permanent
    finally:
        fake.stop()
