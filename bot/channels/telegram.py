"""Telegram as a Rasa custom channel, on python-telegram-bot: ``/webhooks/telegram/webhook``.

The webhook checks Telegram's secret token header, parses the update with ``Update.de_json``,
stores it in Redis (:mod:`bot.channels.intake`, deduplicated by ``update_id``) and only then
answers 200; the intake consumer runs it through Rasa and acknowledges it once the answer went
out. When Redis cannot store it, the person gets the degraded answer at once
(:mod:`bot.channels.degraded`) and Telegram gets a 503, so it sends the update again later.
Replies go out through PTB's async ``Bot``: long texts split at 4096 characters, buttons as an
inline keyboard whose presses come back as callback queries (answered at once, their data being
the button's payload).

``python -m bot telegram poll`` feeds updates from getUpdates to this same webhook, so local use
without a public URL runs exactly this code.
"""

from __future__ import annotations

import asyncio
import datetime as dtm
import hashlib
import json
import logging
import os
import re
import warnings
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.shared.exceptions import RasaException
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    Update,
    User,
)
from telegram.error import BadRequest as TelegramBadRequest
from telegram.error import Forbidden, NetworkError, RetryAfter, TelegramError

from bot.channels import TELEGRAM_DEFAULT_API
from bot.channels.casework import casework
from bot.channels.common import (
    LEGACY_PAYLOADS,
    BackgroundWorker,
    DeliveryFailed,
    Outgoing,
    PlatformOutput,
    StackDown,
    ignored,
    rasa_text,
    read_json,
    secret_matches,
    shorten_payload,
    utf16_len,
)
from bot.channels.common import never_fail as _never_fail
from bot.channels.degraded import AnsweredOnce, Backends, SilentRuns, degraded_reply
from bot.channels.intake import Intake, IntakeConsumer
from bot.channels.pictures import download, read_picture, with_picture_text
from bot.identity import TELEGRAM, UPDATE_KEY, conversation_id, in_group, native_id
from bot.ocr import MAX_IMAGE_BYTES

logger = logging.getLogger(__name__)
# PTB logs the API URL, which contains the token, at DEBUG: keep its records above that.
logging.getLogger("telegram").setLevel(logging.INFO)

CHANNEL = TELEGRAM
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
TEXT_LIMIT = 4096  # sendMessage text, in UTF-16 code units
CALLBACK_DATA_BYTES = 64
MAX_ATTEMPTS = 4  # a send is tried at most this often (flood control, network errors)
MAX_RETRY_WAIT = 30.0  # seconds; a longer flood wait is not worth holding the reply for
GROUP_CHATS = ("group", "supergroup")
# What a message without text is, in the order Telegram's clients show them.
ATTACHMENT_KINDS = (
    "photo", "sticker", "animation", "voice", "audio", "video", "video_note", "document",
    "location", "venue", "contact", "poll", "dice", "game", "story",
)  # fmt: skip
CLEAR_CHAT = "/clear_chat"  # handled here, never sent to Rasa
#: The deep link a group member taps to talk privately (``/start help`` → the help intent).
PRIVATE_START = "help"
PRIVATE_LINK = "https://t.me/{username}?start=" + PRIVATE_START
DELETABLE_FOR = 48 * 3600  # the Bot API lets a bot delete messages of a private chat for 48 h
# Telegram's usual commands → the intents they mean (the bot's menu entries).
COMMANDS = {
    "start": "/greet",
    "help": "/need_help",
    "menu": "/menu",
    "language": "/change_language",
    "erase": "/erase_data",
    "clear": CLEAR_CHAT,
    "subscribe": LEGACY_PAYLOADS["/subscribe"],
    "unsubscribe": LEGACY_PAYLOADS["/unsubscribe"],
}


# -- callback data ----------------------------------------------------------------------------


class CallbackPayloads:
    """Button payloads as callback data, which Telegram limits to 64 bytes.

    A payload that fits is sent as is. A longer one is sent as ``/intent#<hash>`` (or
    ``#<hash>``) and kept here (bounded, least recently used dropped); the hash is derived from
    the payload, so the same button always gets the same data. If the mapping is lost (restart),
    the press still reaches the right intent without its entities.
    """

    def __init__(self, capacity: int = 10_000) -> None:
        self.capacity = capacity
        self._payloads: OrderedDict[str, str] = OrderedDict()

    def encode(self, payload: str) -> str:
        if len(payload.encode("utf-8")) <= CALLBACK_DATA_BYTES:
            return payload
        digest = hashlib.sha256(payload.encode("utf-8")).hexdigest()[:16]
        intent = shorten_payload(payload, CALLBACK_DATA_BYTES - 17).split("{", 1)[0]
        data = f"{intent}#{digest}" if intent.startswith("/") else f"#{digest}"
        self._payloads[data] = payload
        self._payloads.move_to_end(data)
        while len(self._payloads) > self.capacity:
            self._payloads.popitem(last=False)
        return data

    def decode(self, data: str) -> str:
        payload = self._payloads.get(data)
        if payload is not None:
            return payload
        if re.fullmatch(r"/\w+#[0-9a-f]{16}", data):
            return data.split("#", 1)[0]  # mapping lost: the intent alone
        if re.fullmatch(r"#[0-9a-f]{16}", data):
            return ""  # nothing to recover: treated like a message without text
        return data


# -- updates → messages for Rasa -------------------------------------------------------------


@dataclass
class TelegramEvent:
    """What one update means for the assistant."""

    chat_id: int
    text: str
    metadata: dict[str, Any] = field(default_factory=dict)
    callback_query_id: str | None = None
    message_id: int | None = None

    @property
    def sender_id(self) -> str:
        """``telegram:<chat id>``: a private chat is its user, a group (negative id) the group."""
        return conversation_id(CHANNEL, self.chat_id)


def _language_metadata(user: User | None) -> dict[str, Any]:
    code = getattr(user, "language_code", None)
    return {"language_code": code} if isinstance(code, str) and code else {}


def _attachment_kind(message: Message) -> str:
    for kind in ATTACHMENT_KINDS:
        if getattr(message, kind, None):
            return kind
    return "other"


def _addressed_text(message: Message, text: str, me: User | None) -> str | None:
    """In a group: the text without the bot's @mention if the bot is addressed, else None.

    The bot is addressed by a mention of its username, a command for it (``/start@bot``),
    or a reply to one of its messages.
    """
    if me is None:
        return None  # not knowing who we are, stay quiet rather than answer everyone
    replied = message.reply_to_message
    is_reply = bool(replied and replied.from_user and replied.from_user.id == me.id)
    username = me.username or ""
    mention = re.compile(rf"@{re.escape(username)}\b", re.IGNORECASE) if username else None
    if mention is not None and mention.search(text):
        return mention.sub("", text).strip()
    return text if is_reply else None


def _command(text: str) -> str:
    """``/start``, ``/help@bot``… → the intent trigger; other text unchanged."""
    match = re.fullmatch(r"/([A-Za-z0-9_]+)(?:@\w+)?(?:\s+(.*))?", text.strip(), re.DOTALL)
    if match and match.group(1).lower() in COMMANDS:
        if match.group(1).lower() == "start" and (match.group(2) or "").strip() == PRIVATE_START:
            return COMMANDS["help"]  # the deep link a group's hotline card points to
        return COMMANDS[match.group(1).lower()]
    return text


def parse_update(
    update: Update, me: User | None = None, callbacks: CallbackPayloads | None = None
) -> TelegramEvent | None:
    """The event for Rasa in ``update``, or None when there is nothing to answer.

    Text, captions (a photo's caption is its text), forwarded and edited messages are read;
    a photo without caption gives ``has_photo``; stickers, voice notes, locations… give
    ``unsupported`` with their kind; button presses give their payload. Membership changes
    (``my_chat_member``), channel posts and other update types are ignored. In groups the bot
    answers only when addressed.
    """
    query = update.callback_query
    if query is not None:
        data = query.data if isinstance(query.data, str) else ""
        text = (callbacks or CallbackPayloads()).decode(data)
        chat = query.message.chat if query.message is not None else None
        chat_id = chat.id if chat is not None else query.from_user.id
        return TelegramEvent(
            chat_id=chat_id,
            text=text,
            metadata=_language_metadata(query.from_user),
            callback_query_id=query.id,
        )

    message = update.message or update.edited_message
    if message is None or message.chat is None:
        return None  # my_chat_member, channel posts, polls, inline queries…
    if message.from_user is not None and message.from_user.is_bot:
        return None
    text = message.text or message.caption or ""
    if not isinstance(text, str):  # de_json does not check types
        text = ""
    metadata = _language_metadata(message.from_user)
    if update.edited_message is not None:
        metadata["edited"] = True
    if message.forward_origin is not None:
        metadata["forwarded"] = True
    if message.photo:
        metadata["has_photo"] = True
    if not text.strip() and not message.photo:
        metadata["unsupported"] = _attachment_kind(message)

    if message.chat.type in GROUP_CHATS:
        addressed = _addressed_text(message, text, me)
        if addressed is None:
            return None
        text = addressed
        if me is not None and me.username:  # where the actions send a member for anything personal
            metadata["private_chat_url"] = PRIVATE_LINK.format(username=me.username)
    elif message.chat.type != "private":
        return None  # channels: the bot does not converse there
    return TelegramEvent(
        chat_id=message.chat.id,
        text=_command(text),
        metadata=metadata,
        message_id=message.message_id if message.chat.type == "private" else None,
    )


# -- sending ------------------------------------------------------------------------------------


def _seconds(value: int | float | dtm.timedelta) -> float:
    return value.total_seconds() if isinstance(value, dtm.timedelta) else float(value)


async def call_with_retries(
    call: Callable[[], Awaitable[Any]],
    what: str,
    sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
) -> Any:
    """Run a Bot API call; flood control (429) and network errors are retried, bounded.

    Returns None when the call is given up (user blocked the bot, bad request, still failing):
    a lost reply is logged by kind, never raised into Rasa.
    """
    try:
        return await call_or_raise(call, what, sleep)
    except DeliveryFailed:
        return None


async def call_or_raise(
    call: Callable[[], Awaitable[Any]],
    what: str,
    sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
) -> Any:
    """:func:`call_with_retries` that raises DeliveryFailed when it gives up.

    Forbidden (blocked, chat gone) and BadRequest (chat not found, invalid markup) are
    permanent: retrying the update would only run the actions again. Flood control, network
    and other errors are transient.
    """
    for attempt in range(1, MAX_ATTEMPTS + 1):
        try:
            return await call()
        except RetryAfter as exc:
            with warnings.catch_warnings():  # PTB 22 deprecates the int form; either is fine
                warnings.simplefilter("ignore")
                wait = _seconds(exc.retry_after)
            if wait > MAX_RETRY_WAIT or attempt == MAX_ATTEMPTS:
                logger.warning("telegram: %s given up after flood control", what)
                raise DeliveryFailed(what) from None
            logger.info("telegram: flood control, retrying %s in %.0f s", what, wait)
            await sleep(wait)
        except (Forbidden, TelegramBadRequest) as exc:  # blocked, chat gone, invalid markup…
            logger.warning("telegram: %s refused (%s)", what, type(exc).__name__)
            raise DeliveryFailed(f"{what} {type(exc).__name__}", permanent=True) from None
        except NetworkError as exc:
            if attempt == MAX_ATTEMPTS:
                logger.warning("telegram: %s failed (%s)", what, type(exc).__name__)
                raise DeliveryFailed(what) from None
            await sleep(float(attempt))
        except TelegramError as exc:
            logger.warning("telegram: %s failed (%s)", what, type(exc).__name__)
            raise DeliveryFailed(what) from None
    raise DeliveryFailed(what)


def keyboard_button(title: str, payload: str, callbacks: CallbackPayloads) -> InlineKeyboardButton:
    """A link to a Telegram chat (the private-chat button of groups) opens it; others call back."""
    if payload.startswith("https://t.me/"):
        return InlineKeyboardButton(title, url=payload)
    return InlineKeyboardButton(title, callback_data=callbacks.encode(payload))


def inline_keyboard(buttons: list[Any], callbacks: CallbackPayloads) -> InlineKeyboardMarkup:
    """One button per row: titles in Thai, Burmese or Khmer are long."""
    return InlineKeyboardMarkup([[keyboard_button(b.title, b.payload, callbacks)] for b in buttons])


async def remember_message(conversation: str, message_id: int) -> None:
    """Keep the ids clear-chat may delete (they expire with the 48-hour limit); private only."""
    if in_group(conversation):
        return  # one member must not delete what the group was shown
    try:
        await asyncio.to_thread(
            casework.store.remember_message, CHANNEL, conversation, message_id, DELETABLE_FOR
        )
    except Exception as exc:  # noqa: BLE001 - clear-chat is best effort; the reply is not
        logger.warning("telegram: could not record a message id (%s)", type(exc).__name__)


class TelegramOutput(PlatformOutput):
    text_limit = TEXT_LIMIT
    measure = staticmethod(utf16_len)

    def __init__(self, bot: Bot, callbacks: CallbackPayloads) -> None:
        self.bot = bot
        self.callbacks = callbacks

    @classmethod
    def name(cls) -> str:
        return CHANNEL

    async def deliver(self, recipient_id: str, outgoing: Outgoing) -> None:
        """``recipient_id`` is a conversation id; an id of another channel raises ForeignId."""
        chat_id = native_id(CHANNEL, recipient_id)
        if outgoing.image:
            await call_with_retries(
                lambda: self.bot.send_photo(chat_id=chat_id, photo=outgoing.image),
                "sendPhoto",
            )
            return
        markup = inline_keyboard(outgoing.buttons, self.callbacks) if outgoing.buttons else None
        sent = await call_or_raise(
            lambda: self.bot.send_message(chat_id=chat_id, text=outgoing.text, reply_markup=markup),
            "sendMessage",
        )
        await remember_message(recipient_id, sent.message_id)


# -- the input channel ---------------------------------------------------------------------------


def file_base_url(base_url: str) -> str:
    """Where files are downloaded: ``…/bot`` → ``…/file/bot`` (as api.telegram.org does)."""
    root = base_url.rstrip("/")
    return root[: -len("/bot")] + "/file/bot" if root.endswith("/bot") else root + "/file/bot"


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
        self.bot = Bot(token, base_url=base_url, base_file_url=file_base_url(base_url))
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
        never_fail = _never_fail(CHANNEL)

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
