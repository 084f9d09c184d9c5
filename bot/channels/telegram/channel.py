"""Telegram as a Rasa input channel (served by the channel gateway): ``/webhooks/telegram/webhook``.

The webhook checks Telegram's secret token header, parses the update with ``Update.de_json``,
stores it in Redis (:mod:`bot.channels.intake`, deduplicated by ``update_id``) and only then
answers 200; the intake consumer runs it through Rasa and acknowledges it once the answer went
out. When Redis cannot store it, the person gets the degraded answer at once
(:mod:`bot.channels.degraded`) and Telegram gets a 503, so it sends the update again later.
Parsing is :mod:`.input`, rendering :mod:`.output`, sending :mod:`.api`.

``python -m bot telegram poll`` feeds updates from getUpdates to this same webhook, so local use
without a public URL runs exactly this code.
"""

from __future__ import annotations

import asyncio
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
from telegram import Update, User
from telegram.error import TelegramError

from bot.channels import TELEGRAM_DEFAULT_API
from bot.channels.casework import casework
from bot.channels.common import (
    BackgroundWorker,
    DeliveryFailed,
    StackDown,
    rasa_text,
    read_json,
    secret_matches,
)
from bot.channels.degraded import AnsweredOnce, Backends, SilentRuns, degraded_reply
from bot.channels.intake import Intake, IntakeConsumer
from bot.channels.pictures import download, read_picture, with_picture_text
from bot.channels.telegram.api import call_with_retries, make_bot
from bot.channels.telegram.input import (
    CHANNEL,
    CLEAR_CHAT,
    CallbackPayloads,
    TelegramEvent,
    parse_update,
)
from bot.channels.telegram.output import TelegramOutput, remember_message
from bot.channels.webhook import ignored
from bot.channels.webhook import never_fail as guarded_route
from bot.identity import UPDATE_KEY, native_id
from bot.ocr import MAX_IMAGE_BYTES

logger = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


class TelegramInput(InputChannel):
    """Rasa input channel ``telegram``: POST ``/webhooks/telegram/webhook``."""

    @classmethod
    def name(cls) -> str:
        return CHANNEL

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> TelegramInput:
        """Secrets from the environment (never from the credentials file)."""
        credentials = credentials or {}
        token = (os.environ.get("TELEGRAM_BOT_TOKEN") or "").strip()
        secret = (os.environ.get("TELEGRAM_WEBHOOK_SECRET") or "").strip()
        if not token or not secret:
            raise RasaException(
                "The Telegram channel needs TELEGRAM_BOT_TOKEN and TELEGRAM_WEBHOOK_SECRET "
                "in the environment."
            )
        base_url = (
            os.environ.get("TELEGRAM_API_BASE_URL")
            or credentials.get("api_base_url")
            or TELEGRAM_DEFAULT_API
        )
        return cls(token, secret, base_url)

    def __init__(self, token: str, secret: str, base_url: str = TELEGRAM_DEFAULT_API) -> None:
        self.secret = secret
        self.bot = make_bot(token, base_url)
        self.callbacks = CallbackPayloads()
        self.worker = BackgroundWorker(CHANNEL)
        self.output = TelegramOutput(self.bot, self.callbacks)
        casework.register(CHANNEL, self.output.send_text_message)
        self.intake = Intake(CHANNEL)
        self.backends = Backends()
        self.degraded = AnsweredOnce()
        self.silent = SilentRuns()
        self.consumer: IntakeConsumer | None = None
        self._me: User | None = None
        self._init_lock: asyncio.Lock | None = None

    def get_output_channel(self) -> TelegramOutput:
        return self.output

    async def me(self) -> User | None:
        """The bot's own user (getMe, once); None while Telegram cannot be reached."""
        if self._me is None:
            if self._init_lock is None:
                self._init_lock = asyncio.Lock()
            async with self._init_lock:
                if self._me is None:
                    try:
                        await self.bot.initialize()
                        self._me = self.bot.bot
                    except TelegramError as exc:  # its text may hold the token: type only
                        logger.warning("telegram: getMe failed (%s)", type(exc).__name__)
        return self._me

    async def process(
        self,
        update: Update,
        on_new_message: Callable[[UserMessage], Awaitable[Any]],
        output: TelegramOutput | None = None,
    ) -> bool:
        """Who we are, answer a button press, then Rasa and the reply (through ``output``).

        Returns whether the update went to Rasa (operators' messages, clear-chat and updates
        to ignore do not)."""
        me = await self.me()
        chat = update.effective_chat
        if chat is not None and str(chat.id) == casework.operators_chat_id:
            await self.operators_message(update)
            return False
        event = parse_update(update, me, self.callbacks)
        if event is None:
            return False
        event.metadata[UPDATE_KEY] = f"{CHANNEL}:{update.update_id}"  # idempotent case opening
        if event.message_id is not None:
            await remember_message(event.sender_id, event.message_id)
        if event.callback_query_id:
            query_id = event.callback_query_id
            await call_with_retries(
                lambda: self.bot.answer_callback_query(query_id), "answerCallbackQuery"
            )
        if event.text == CLEAR_CHAT:
            await self.clear_chat(event.sender_id)
            return False
        if event.metadata.get("has_photo"):
            event.text, event.metadata = await self.photo_text(update, event)
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
        return True

    async def answer_degraded(self, update: Update) -> None:
        """The channel's own answer while the stack cannot give one (once per update)."""
        chat = update.effective_chat
        if chat is not None and str(chat.id) == casework.operators_chat_id:
            return
        event = parse_update(update, await self.me(), self.callbacks)
        if event is None or not self.degraded.first_time(str(update.update_id)):
            return
        text = degraded_reply(event.text, event.metadata.get("language_code"))
        await call_with_retries(
            lambda: self.bot.send_message(chat_id=event.chat_id, text=text), "sendMessage"
        )

    async def handle_stored(
        self, body: str, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> bool:
        """One stored update; True once its answer went out (then it is acknowledged)."""
        update = Update.de_json(json.loads(body), self.bot)
        if not await self.backends.actions_ready():
            await self.answer_degraded(update)
            raise StackDown("not ready")
        output = TelegramOutput(self.bot, self.callbacks)
        try:
            ran_rasa = await self.process(update, on_new_message, output)
        except DeliveryFailed as exc:
            if exc.permanent:
                raise  # the person cannot be reached: no degraded answer either
            await self.answer_degraded(update)
            raise
        except Exception:
            await self.answer_degraded(update)
            raise
        if ran_rasa and output.delivered == 0 and self.silent.retry(str(update.update_id)):
            await self.answer_degraded(update)  # e.g. the action server died while Rasa ran
            return False
        return True

    def start_consumer(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> None:
        async def handle(body: str) -> bool:
            return await self.handle_stored(body, on_new_message)

        self.consumer = IntakeConsumer(self.intake, self.worker, handle)

    async def photo_text(
        self, update: Update, event: TelegramEvent
    ) -> tuple[str, dict[str, Any]]:
        """The photo read with OCR (largest size within the byte cap), then the caption."""
        message = update.effective_message
        sizes = [
            p for p in (message.photo if message is not None else ()) or ()
            if (p.file_size or 0) <= MAX_IMAGE_BYTES
        ]  # fmt: skip
        data = None
        try:
            if sizes:
                largest = max(sizes, key=lambda p: p.width * p.height)
                found = await call_with_retries(
                    lambda: self.bot.get_file(largest.file_id), "getFile"
                )
                path = getattr(found, "file_path", None)
                if isinstance(path, str):
                    data = await download(path, (self.bot.base_file_url,))
        except Exception as exc:  # noqa: BLE001 - a bad answer costs the picture, not the message
            logger.warning("telegram: photo not fetched (%s)", type(exc).__name__)
        hint = event.metadata.get("language_code")
        read = await read_picture(data, hint if isinstance(hint, str) else None)
        return with_picture_text(event.text, event.metadata, read)

    async def clear_chat(self, conversation: str) -> None:
        """Delete every message of the chat the bot may still delete; say nothing after."""
        chat_id = native_id(CHANNEL, conversation)
        ids = await asyncio.to_thread(casework.store.take_message_ids, CHANNEL, conversation)
        for start in range(0, len(ids), 100):  # deleteMessages takes at most 100 ids
            batch = ids[start : start + 100]
            await call_with_retries(
                lambda batch=batch: self.bot.delete_messages(chat_id, batch), "deleteMessages"
            )

    async def operators_message(self, update: Update) -> None:
        """A caseworker wrote in the operators' chat: a reply to a case, or /reply, /close."""
        message = update.message
        if message is None or not isinstance(message.text, str):
            return
        replied = message.reply_to_message.message_id if message.reply_to_message else None
        answer = await casework.operator_message(message.text, replied)
        if answer:
            chat_id = message.chat.id
            await call_with_retries(
                lambda: self.bot.send_message(chat_id=chat_id, text=answer), "sendMessage"
            )

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        telegram_webhook = Blueprint("custom_telegram_webhook", __name__)
        never_fail = guarded_route(CHANNEL)

        @telegram_webhook.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        self.start_consumer(on_new_message)

        @telegram_webhook.listener("after_server_start")
        async def start_intake(app: Any, loop: Any) -> None:
            if self.consumer is not None:
                app.ctx.telegram_intake = loop.create_task(self.consumer.run_forever())

        @telegram_webhook.route("/webhook", methods=["POST"])
        @never_fail
        async def receive(request: Request) -> HTTPResponse:
            if not secret_matches(request.headers.get(SECRET_HEADER), self.secret):
                return response.json({"status": "forbidden"}, status=403)
            data = read_json(request.body)
            try:
                update = Update.de_json(data, self.bot)
            except Exception as exc:  # PTB raises TypeError, KeyError, ValueError… on bad shapes
                return ignored(f"unreadable update: {type(exc).__name__}", CHANNEL)
            if not isinstance(data.get("update_id"), int):
                return ignored("update without update_id", CHANNEL)
            chat = update.effective_chat
            lane = str(getattr(chat, "id", None) if chat is not None else update.update_id)
            body = json.dumps(data, ensure_ascii=False)
            try:
                await asyncio.to_thread(self.intake.store, str(data["update_id"]), lane, body)
            except Exception as exc:  # noqa: BLE001 - Redis down: answer now, Telegram resends
                logger.warning("telegram: update not stored (%s); degraded answer",
                               type(exc).__name__)  # fmt: skip
                self.worker.submit(lane, self.answer_degraded(update))
                return response.json(
                    {"status": "unavailable"}, status=503, headers={"Retry-After": "5"}
                )
            return response.json({"status": "ok"})

        return telegram_webhook
