"""The channel gateway (``python -m bot gateway``): platform webhooks outside the Rasa process.

While Rasa is down (killed, restarting, loading its model for a minute) the gateway still
answers: it serves ``/webhooks/telegram/webhook`` and ``/webhooks/messenger/webhook`` with the
same secret and signature checks, update-id deduplication and body bounds as before, stores each
update in the intake stream (:mod:`bot.channels.intake`) before its 200, and its intake consumer
forwards the stored update to Rasa's relay input (:mod:`bot.channels.relay`), then renders and
sends Rasa's reply through the platform. When Rasa, the action server or Redis is down, the
channel answers at once with the degraded reply (:mod:`bot.channels.degraded`: hotlines for a
cry for help, else "try again in a few minutes") and the stored update is processed normally
once the stack is back: the person may get a degraded answer first and the normal one after.

Caseworker replies leave from here too (the operators' chat is a Telegram chat), so the gateway
registers the web chat's sender as well.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from typing import Any

import httpx
from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels import MESSENGER_CHANNEL, TELEGRAM_CHANNEL, channel_credentials
from bot.channels.casework import casework
from bot.channels.degraded import Backends
from bot.channels.relay import NAME as RELAY
from bot.channels.rest import SECRET_HEADER
from bot.identity import WEB

logger = logging.getLogger(__name__)

FORWARD_TIMEOUT = httpx.Timeout(60.0, connect=3.0)  # a whole Rasa turn, actions included
REQUEST_MAX_BYTES = 1_000_000  # Sanic refuses a bigger body before reading it


class RasaUnavailable(RuntimeError):
    """Rasa did not take the message (down, restarting, an error): tried again later."""


class RasaRelay:
    """Forwards one user message to Rasa's relay input and sends the replies through its output."""

    def __init__(self, rasa_url: str, secret: str) -> None:
        self.url = rasa_url.rstrip("/") + f"/webhooks/{RELAY}/webhook"
        self.secret = secret
        self._client: httpx.AsyncClient | None = None

    def client(self) -> httpx.AsyncClient:
        if self._client is None:  # created lazily, inside the server's event loop
            self._client = httpx.AsyncClient(timeout=FORWARD_TIMEOUT)
        return self._client

    async def ask(self, message: UserMessage) -> list[dict[str, Any]]:
        """Rasa's replies to ``message``; raises RasaUnavailable when Rasa did not answer."""
        body = {"sender": message.sender_id, "message": message.text,
                "metadata": message.metadata or {}}  # fmt: skip
        try:
            reply = await self.client().post(
                self.url, json=body, headers={SECRET_HEADER: self.secret}
            )
        except httpx.HTTPError as exc:
            raise RasaUnavailable(type(exc).__name__) from None
        if reply.status_code != 200:
            raise RasaUnavailable(f"HTTP {reply.status_code}")
        try:
            messages = reply.json()
        except ValueError:
            raise RasaUnavailable("unreadable answer") from None
        return [m for m in messages if isinstance(m, dict)] if isinstance(messages, list) else []

    async def __call__(self, message: UserMessage) -> None:
        """The ``on_new_message`` of the platform channels: ask Rasa, deliver in order."""
        for reply in await self.ask(message):
            await message.output_channel.send_response(message.sender_id, reply)


def platform_inputs(env: Mapping[str, str], rasa_url: str) -> list[InputChannel]:
    """The platform channels configured in ``env`` (secrets read from the environment); each
    answers degraded at once while Rasa or the action server fails its health check."""
    sections = channel_credentials(env)
    inputs: list[InputChannel] = []
    if TELEGRAM_CHANNEL in sections:
        from bot.channels.telegram.channel import TelegramInput

        inputs.append(TelegramInput.from_credentials(sections[TELEGRAM_CHANNEL]))
    if MESSENGER_CHANNEL in sections:
        from bot.channels.messenger.channel import MessengerInput

        inputs.append(MessengerInput.from_credentials(sections[MESSENGER_CHANNEL]))
    rasa_health = rasa_url.rstrip("/") + f"/webhooks/{RELAY}/"
    for channel in inputs:
        channel.backends = Backends(rasa_health_url=rasa_health)  # type: ignore[attr-defined]
    return inputs


def build_app(
    inputs: list[InputChannel], relay: RasaRelay, name: str = "safejobs_gateway"
) -> Sanic:
    """The gateway's web app: each channel's blueprint under ``/webhooks/<name>``, health at /."""
    from bot.channels.rest import send_to_web_page

    casework.register(WEB, send_to_web_page)
    app = Sanic(name)
    app.config.REQUEST_MAX_SIZE = REQUEST_MAX_BYTES
    app.config.KEEP_ALIVE_TIMEOUT = 75  # platforms reuse their connections

    @app.get("/")
    async def health(request: Request) -> HTTPResponse:
        return response.json({"status": "ok", "channels": [c.name() for c in inputs]})

    for channel in inputs:
        app.blueprint(channel.blueprint(relay), url_prefix=f"/webhooks/{channel.name()}")
    return app


def warm_up() -> None:
    """Load the engines and the degraded answer's texts before taking requests: the first cry
    for help during an outage must not wait for content files and the recogniser to load."""
    from bot.channels.degraded import degraded_reply
    from bot.warmup import warm_up_engines

    warm_up_engines()
    try:
        degraded_reply("/need_help", "en")  # the contacts' rendering and its catalogs
    except Exception:  # noqa: BLE001 - loaded again on first use
        logger.warning("warming up the degraded answer failed", exc_info=True)


def rasa_url_from_env(env: Mapping[str, str]) -> str:
    return env.get("RASA_URL") or f"http://127.0.0.1:{env.get('RASA_PORT', '5005')}"


def serve(host: str, port: int) -> int:
    """Run the gateway until SIGINT/SIGTERM (with no platform configured: health check only)."""
    env = os.environ
    rasa_url = rasa_url_from_env(env)
    inputs = platform_inputs(env, rasa_url)
    if not inputs:  # a deployment without platforms: answer the health check, nothing else
        print("warning: no channel configured for the gateway (set TELEGRAM_BOT_TOKEN and "
              "TELEGRAM_WEBHOOK_SECRET, or the three MESSENGER_* variables)",
              flush=True)  # fmt: skip
    relay = RasaRelay(rasa_url, (env.get("REST_CHANNEL_SECRET") or "").strip())
    warm_up()
    app = build_app(inputs, relay)
    app.run(host=host, port=port, workers=1, access_log=False, motd=False)
    return 0
