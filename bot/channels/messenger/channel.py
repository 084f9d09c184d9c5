"""Facebook Messenger as a Rasa input channel (served by the channel gateway):
``/webhooks/messenger/webhook``.

GET is Meta's subscription handshake (``hub.verify_token`` checked in constant time). POST
bodies must carry ``X-Hub-Signature-256: sha256=<HMAC-SHA256 of the raw body with the app
secret>``; a missing or wrong signature gets 403 and nothing is processed. Every messaging item
of a batch is stored (:mod:`bot.channels.intake`) before the 200 and answered by the intake
consumer. Parsing is :mod:`.input`, rendering :mod:`.output`, sending :mod:`.api`.
"""

from __future__ import annotations

import asyncio
import copy
import json
import logging
import os
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.shared.exceptions import RasaException
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels import MESSENGER_DEFAULT_GRAPH
from bot.channels.casework import casework
from bot.channels.common import (
    BackgroundWorker,
    DeliveryFailed,
    StackDown,
    rasa_text,
    read_json,
    secret_matches,
    split_text,
)
from bot.channels.degraded import AnsweredOnce, Backends, SilentRuns, degraded_reply
from bot.channels.intake import Intake, IntakeConsumer
from bot.channels.messenger.input import (
    CHANNEL,
    SIGNATURE_HEADER,
    MessengerEvent,
    item_key,
    parse_item,
    parse_items,
    signature_valid,
)
from bot.channels.messenger.output import MessengerOutput
from bot.channels.pictures import download, read_picture, with_picture_text
from bot.channels.webhook import never_fail as guarded_route
from bot.identity import MESSENGER, UPDATE_KEY, native_id

logger = logging.getLogger(__name__)


class MessengerInput(InputChannel):
    """Rasa input channel ``messenger``: GET/POST ``/webhooks/messenger/webhook``."""

    @classmethod
    def name(cls) -> str:
        return CHANNEL

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> MessengerInput:
        """Secrets from the environment (never from the credentials file)."""
        credentials = credentials or {}
        values = {
            name: (os.environ.get(name) or "").strip()
            for name in ("MESSENGER_PAGE_TOKEN", "MESSENGER_APP_SECRET", "MESSENGER_VERIFY_TOKEN")
        }
        missing = [name for name, value in values.items() if not value]
        if missing:
            raise RasaException(
                f"The Messenger channel needs {', '.join(missing)} in the environment."
            )
        graph_url = (
            os.environ.get("MESSENGER_GRAPH_URL")
            or credentials.get("graph_url")
            or MESSENGER_DEFAULT_GRAPH
        )
        return cls(
            values["MESSENGER_PAGE_TOKEN"],
            values["MESSENGER_APP_SECRET"],
            values["MESSENGER_VERIFY_TOKEN"],
            graph_url,
        )

    def __init__(
        self,
        page_token: str,
        app_secret: str,
        verify_token: str,
        graph_url: str = MESSENGER_DEFAULT_GRAPH,
    ) -> None:
        self.app_secret = app_secret
        self.verify_token = verify_token
        self.output = MessengerOutput(page_token, graph_url)
        self.graph_url = graph_url.rstrip("/") + "/"
        casework.register(CHANNEL, self.output.send_caseworker_reply)
        self.worker = BackgroundWorker(CHANNEL)
        self.intake = Intake(CHANNEL)
        self.backends = Backends()
        self.degraded = AnsweredOnce()
        self.silent = SilentRuns()
        self.consumer: IntakeConsumer | None = None

    def get_output_channel(self) -> MessengerOutput:
        return self.output

    def counting_output(self) -> MessengerOutput:
        """A copy of the output (same HTTP client) that counts what this message sent."""
        output = copy.copy(self.output)  # shares the Send API and its HTTP client
        output.delivered = 0
        return output

    async def answer_degraded(self, key: str, event: MessengerEvent) -> None:
        """The channel's own answer while the stack cannot give one (once per message)."""
        if not self.degraded.first_time(key):
            return
        text = degraded_reply(event.text, event.metadata.get("language_code"))
        for part in split_text(text, self.output.text_limit):
            await self.output.api.post(
                {
                    "recipient": {"id": native_id(MESSENGER, event.sender_id)},
                    "messaging_type": "RESPONSE",
                    "message": {"text": part},
                }
            )

    async def handle_stored(
        self, body: str, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> bool:
        """One stored messaging item; True once its answer went out."""
        item = json.loads(body)
        event = parse_item(item)
        if event is None:
            return True
        key = item_key(item)
        if not await self.backends.actions_ready():
            await self.answer_degraded(key, event)
            raise StackDown("not ready")
        output = self.counting_output()
        event.metadata[UPDATE_KEY] = f"{CHANNEL}:{key}"  # idempotent case opening
        try:
            await self.process(event, on_new_message, output)
        except DeliveryFailed as exc:
            if exc.permanent:
                raise  # the person cannot be reached: no degraded answer either
            await self.answer_degraded(key, event)
            raise
        except Exception:
            await self.answer_degraded(key, event)
            raise
        if output.delivered == 0 and self.silent.retry(key):
            await self.answer_degraded(key, event)  # e.g. the action server died mid-run
            return False
        return True

    async def process(
        self,
        event: MessengerEvent,
        on_new_message: Callable[[UserMessage], Awaitable[Any]],
        output: MessengerOutput | None = None,
    ) -> None:
        if event.image_url:  # https only, or the configured Graph base (the local fake)
            data = await download(event.image_url, (self.graph_url,))
            read = await read_picture(data)
            event.text, event.metadata = with_picture_text(event.text, event.metadata, read)
        await casework.user_wrote(CHANNEL, event.sender_id)
        await on_new_message(
            UserMessage(
                rasa_text(event.text, event.metadata),
                output or self.output,
                event.sender_id,
                input_channel=CHANNEL,
                metadata=event.metadata,
            )
        )

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        messenger_webhook = Blueprint("custom_messenger_webhook", __name__)
        never_fail = guarded_route(CHANNEL)

        async def handle(body: str) -> bool:
            return await self.handle_stored(body, on_new_message)

        self.consumer = IntakeConsumer(self.intake, self.worker, handle)

        @messenger_webhook.listener("after_server_start")
        async def start_intake(app: Any, loop: Any) -> None:
            if self.consumer is not None:
                app.ctx.messenger_intake = loop.create_task(self.consumer.run_forever())

        @messenger_webhook.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @messenger_webhook.route("/webhook", methods=["GET"])
        @never_fail
        async def handshake(request: Request) -> HTTPResponse:
            mode = request.args.get("hub.mode")
            token = request.args.get("hub.verify_token")
            challenge = request.args.get("hub.challenge")
            if mode == "subscribe" and secret_matches(token, self.verify_token) and challenge:
                return response.text(challenge)
            return response.text("forbidden", status=403)

        @messenger_webhook.route("/webhook", methods=["POST"])
        @never_fail
        async def receive(request: Request) -> HTTPResponse:
            body = request.body or b""
            if not signature_valid(body, request.headers.get(SIGNATURE_HEADER), self.app_secret):
                return response.json({"status": "forbidden"}, status=403)
            items = parse_items(read_json(body))
            try:  # all or nothing: Meta resends the batch, the stored items are deduplicated
                for item, event in items:
                    raw = json.dumps(item, ensure_ascii=False)
                    await asyncio.to_thread(
                        self.intake.store, item_key(item), event.sender_id, raw
                    )
            except Exception as exc:  # noqa: BLE001 - Redis down: answer now, Meta resends
                logger.warning("messenger: batch not stored (%s); degraded answers",
                               type(exc).__name__)  # fmt: skip
                for item, event in items:
                    self.worker.submit(
                        event.sender_id, self.answer_degraded(item_key(item), event)
                    )
                return response.json(
                    {"status": "unavailable"}, status=503, headers={"Retry-After": "5"}
                )
            return response.json({"status": "ok"})

        return messenger_webhook
