"""Rasa's input for the channel gateway (``python -m bot gateway``): ``/webhooks/relay/webhook``.

The gateway receives the Telegram and Messenger webhooks, stores each update and forwards it
here; Rasa answers with the collected bot messages (like the REST channel) and the gateway renders
and sends them through the platform. Like the guarded REST channel it requires the header
``X-Safejobs-Rest-Secret`` equal to ``REST_CHANNEL_SECRET`` and refuses everything without one.
Identities stay bound to their channel: only ``telegram:<id>`` and ``messenger:<psid>`` senders
are taken, and the input channel is the one the sender id names (actions key cases and erasure
on it), never what the body says. Metadata comes from the gateway's own parsing; it is kept only
when it is a JSON object of at most ``MAX_METADATA_KEYS`` keys.
"""

from __future__ import annotations

import logging
import os
from typing import Any

from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request

from bot.channels.rest import refuse_unauthorised
from bot.identity import MESSENGER, TELEGRAM, channel_of
from bot.limits import cap_message

logger = logging.getLogger(__name__)

NAME = "relay"
SECRET_VARIABLE = "REST_CHANNEL_SECRET"
#: The channels whose webhooks the gateway serves.
GATEWAY_CHANNELS = (TELEGRAM, MESSENGER)
MAX_SENDER_CHARS = 128
MAX_METADATA_KEYS = 32


def relay_sender(raw: Any) -> str | None:
    """The sender id when it is a gateway channel's conversation id, else None."""
    if not isinstance(raw, str) or not 0 < len(raw) <= MAX_SENDER_CHARS:
        return None
    return raw if channel_of(raw) in GATEWAY_CHANNELS else None


def relay_channel(body: Any) -> str:
    """The input channel of a relayed message: the one its sender id names, never the body's."""
    sender = relay_sender(body.get("sender")) if isinstance(body, dict) else None
    return channel_of(sender or "") or NAME


class RelayInput(RestInput):
    """The gateway's way into Rasa; see the module docstring."""

    @classmethod
    def name(cls) -> str:
        return NAME

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> RelayInput:
        return cls((os.environ.get(SECRET_VARIABLE) or "").strip())

    def __init__(self, secret: str = "") -> None:
        self.secret = secret
        if not secret:
            logger.warning("relay channel: %s is not set, every request is refused",
                           SECRET_VARIABLE)  # fmt: skip

    async def _extract_sender(self, req: Request) -> str | None:
        return relay_sender((req.json or {}).get("sender"))

    def _extract_message(self, req: Request) -> str | None:
        return cap_message((req.json or {}).get("message"))

    def _extract_input_channel(self, req: Request) -> str:
        return relay_channel(req.json)

    def get_metadata(self, request: Request) -> dict[str, Any] | None:
        metadata = (request.json or {}).get("metadata")
        if not isinstance(metadata, dict) or len(metadata) > MAX_METADATA_KEYS:
            return None
        return metadata or None

    def blueprint(self, on_new_message: Any) -> Blueprint:
        inner = super().blueprint(on_new_message)
        secret = self.secret

        @inner.on_request
        async def guard(request: Request) -> Any:
            refused, body = refuse_unauthorised(request, secret)  # the gateway polls /health
            if refused is not None or body is None:
                return refused
            if relay_sender(body.get("sender")) is None:
                return response.json({"error": "sender must be telegram:… or messenger:…"},
                                     status=400)  # fmt: skip
            return None

        return inner
