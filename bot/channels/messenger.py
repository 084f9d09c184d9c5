"""Facebook Messenger as a Rasa custom channel: ``/webhooks/messenger/webhook``.

GET is Meta's subscription handshake (``hub.verify_token`` checked in constant time). POST
bodies must carry ``X-Hub-Signature-256: sha256=<HMAC-SHA256 of the raw body with the app
secret>``; a missing or wrong signature gets 403 and nothing is processed. Every entry and every
messaging item of a batch is handled, in the background after answering 200. Replies go through
the Send API with httpx: texts split at 2000 characters, buttons as quick replies (at most 13,
titles trimmed to 20 characters); more than 13 buttons are sent as button templates instead
(3 buttons each), so none is lost.
"""

from __future__ import annotations

import asyncio
import copy
import hashlib
import hmac
import json
import logging
import os
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.shared.exceptions import RasaException
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels import MESSENGER_DEFAULT_GRAPH
from bot.channels.casework import casework
from bot.channels.common import (
    BackgroundWorker,
    Button,
    DeliveryFailed,
    Outgoing,
    PlatformOutput,
    StackDown,
    rasa_text,
    read_json,
    secret_matches,
    shorten_payload,
    split_text,
    trim,
)
from bot.channels.common import never_fail as _never_fail
from bot.channels.degraded import AnsweredOnce, Backends, SilentRuns, degraded_reply
from bot.channels.intake import Intake, IntakeConsumer
from bot.channels.pictures import download, read_picture, with_picture_text
from bot.identity import MESSENGER, UPDATE_KEY, conversation_id, native_id

logger = logging.getLogger(__name__)

CHANNEL = MESSENGER
SIGNATURE_HEADER = "X-Hub-Signature-256"
TEXT_LIMIT = 2000
MAX_QUICK_REPLIES = 13
QUICK_REPLY_TITLE = 20
PAYLOAD_BYTES = 1000
TEMPLATE_TEXT = 640
TEMPLATE_BUTTONS = 3
MAX_ATTEMPTS = 4
MAX_RETRY_WAIT = 30.0
RATE_LIMIT_CODES = (4, 17, 32, 613)  # app, user, page and Send API rate limits
TOKEN_ERROR_CODE = 190  # OAuthException: the page token is invalid or expired


# -- signature ----------------------------------------------------------------------------------


def signature_valid(body: bytes, header: str | None, app_secret: str) -> bool:
    """``header`` is ``sha256=`` + the hex HMAC-SHA256 of the raw ``body`` keyed by the secret."""
    if not header or not app_secret or not header.startswith("sha256="):
        return False
    expected = "sha256=" + hmac.new(app_secret.encode("utf-8"), body, hashlib.sha256).hexdigest()
    return secret_matches(header.strip().lower(), expected)


# -- webhook bodies → messages for Rasa --------------------------------------------------------


@dataclass
class MessengerEvent:
    sender_id: str  # ``messenger:<PSID>`` (the page-scoped user id): the conversation id
    text: str
    metadata: dict[str, Any] = field(default_factory=dict)
    image_url: str | None = None  # an image attachment's URL (kept out of Rasa's metadata)


def image_url(attachments: Any) -> str | None:
    """The URL of the first image attachment, if any."""
    for item in attachments if isinstance(attachments, list) else []:
        payload = item.get("payload") if isinstance(item, dict) else None
        if item.get("type") == "image" and isinstance(payload, dict):
            url = payload.get("url")
            if isinstance(url, str) and url:
                return url
    return None


def _event(item: Any) -> MessengerEvent | None:
    """One ``messaging`` item; None for echoes, deliveries, reads, reactions and anything odd."""
    if not isinstance(item, dict):
        return None
    sender = item.get("sender")
    sender_id = sender.get("id") if isinstance(sender, dict) else None
    if not isinstance(sender_id, (str, int)) or isinstance(sender_id, bool) or not str(sender_id):
        return None
    sender_id = conversation_id(CHANNEL, sender_id)

    postback = item.get("postback")
    if isinstance(postback, dict):
        payload = postback.get("payload") or postback.get("title")
        return MessengerEvent(sender_id, payload if isinstance(payload, str) else "")

    message = item.get("message")
    if not isinstance(message, dict) or message.get("is_echo"):
        return None
    quick_reply = message.get("quick_reply")
    if isinstance(quick_reply, dict) and isinstance(quick_reply.get("payload"), str):
        return MessengerEvent(sender_id, quick_reply["payload"])
    text = message.get("text") if isinstance(message.get("text"), str) else ""
    metadata: dict[str, Any] = {}
    attachments = message.get("attachments")
    kinds = [
        a.get("type") for a in attachments if isinstance(a, dict) and isinstance(a.get("type"), str)
    ] if isinstance(attachments, list) else []  # fmt: skip
    if message.get("sticker_id") is not None:
        kinds = ["sticker"]  # the "like" thumb and stickers arrive as image attachments
    if "image" in kinds:
        metadata["has_photo"] = True
    elif not text.strip():
        metadata["unsupported"] = kinds[0] if kinds else "other"
    url = image_url(attachments) if "image" in kinds else None
    return MessengerEvent(sender_id, text, metadata, url)


def parse_events(data: dict[str, Any]) -> list[MessengerEvent]:
    """Every message and postback of every entry of a webhook body (other kinds skipped)."""
    return [event for _, event in parse_items(data)]


def parse_items(data: dict[str, Any]) -> list[tuple[dict[str, Any], MessengerEvent]]:
    """Each messaging item that means something to the assistant, with its event."""
    if data.get("object") != "page" or not isinstance(data.get("entry"), list):
        return []
    found = []
    for entry in data["entry"]:
        items = entry.get("messaging") if isinstance(entry, dict) else None
        if not isinstance(items, list):
            continue  # e.g. "standby" (another app has the thread) or "changes"
        for item in items:
            event = _event(item)
            if event is not None:
                found.append((item, event))
    return found


def item_key(item: dict[str, Any]) -> str:
    """Meta's ``mid`` of a message or postback; a digest of the item when it has none."""
    for part in ("message", "postback"):
        mid = item.get(part, {}).get("mid") if isinstance(item.get(part), dict) else None
        if isinstance(mid, str) and mid:
            return mid[:200]
    raw = json.dumps(item, sort_keys=True, ensure_ascii=False).encode("utf-8")
    return "sha256:" + hashlib.sha256(raw).hexdigest()


# -- sending ------------------------------------------------------------------------------------


def quick_replies(buttons: list[Button]) -> list[dict[str, str]]:
    return [
        {
            "content_type": "text",
            "title": trim(b.title, QUICK_REPLY_TITLE),
            "payload": shorten_payload(b.payload, PAYLOAD_BYTES),
        }
        for b in buttons
    ]


def button_template(text: str, buttons: list[Button]) -> dict[str, Any]:
    return {
        "attachment": {
            "type": "template",
            "payload": {
                "template_type": "button",
                "text": trim(text, TEMPLATE_TEXT),
                "buttons": [
                    {
                        "type": "postback",
                        "title": trim(b.title, QUICK_REPLY_TITLE),
                        "payload": shorten_payload(b.payload, PAYLOAD_BYTES),
                    }
                    for b in buttons
                ],
            },
        }
    }


def message_payloads(outgoing: Outgoing) -> list[dict[str, Any]]:
    """The Send API ``message`` objects for one outgoing message (usually one)."""
    if outgoing.image:
        return [{"attachment": {"type": "image", "payload": {"url": outgoing.image}}}]
    if len(outgoing.buttons) <= MAX_QUICK_REPLIES:
        message: dict[str, Any] = {"text": outgoing.text}
        if outgoing.buttons:
            message["quick_replies"] = quick_replies(outgoing.buttons)
        return [message]
    # Quick replies vanish when the next message arrives, so a second batch would hide the first:
    # send the text, then the buttons as templates that stay usable.
    messages: list[dict[str, Any]] = [{"text": outgoing.text}]
    for start in range(0, len(outgoing.buttons), TEMPLATE_BUTTONS):
        group = outgoing.buttons[start : start + TEMPLATE_BUTTONS]
        messages.append(button_template(" · ".join(b.title for b in group), group))
    return messages


def _error_code(reply: httpx.Response) -> Any:
    try:
        return reply.json().get("error", {}).get("code")
    except (ValueError, AttributeError):
        return None


def _throttled(reply: httpx.Response) -> bool:
    """Graph API rate limits come as HTTP 400 with one of these error codes."""
    return _error_code(reply) in RATE_LIMIT_CODES


def _token_refused(reply: httpx.Response) -> bool:
    """Our page token is invalid or expired: our fault, fixed by an operator, so not final."""
    return reply.status_code == 401 or _error_code(reply) == TOKEN_ERROR_CODE


class MessengerOutput(PlatformOutput):
    text_limit = TEXT_LIMIT

    def __init__(self, page_token: str, graph_url: str) -> None:
        self.page_token = page_token
        self.url = graph_url.rstrip("/") + "/me/messages"
        self._client: httpx.AsyncClient | None = None
        self.sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep  # tests replace it

    @classmethod
    def name(cls) -> str:
        return CHANNEL

    def client(self) -> httpx.AsyncClient:
        if self._client is None:  # created lazily, inside the server's event loop
            self._client = httpx.AsyncClient(timeout=httpx.Timeout(15.0, connect=5.0))
        return self._client

    async def deliver(self, recipient_id: str, outgoing: Outgoing) -> None:
        """``recipient_id`` is a conversation id; an id of another channel raises ForeignId."""
        psid = native_id(CHANNEL, recipient_id)
        for message in message_payloads(outgoing):
            await self.post_or_raise(
                {
                    "recipient": {"id": psid},
                    "messaging_type": "RESPONSE",
                    "message": message,
                }
            )

    async def send_caseworker_reply(self, recipient_id: str, text: str) -> None:
        """A human caseworker's words: Meta's HUMAN_AGENT tag allows them for 7 days."""
        psid = native_id(CHANNEL, recipient_id)
        for part in split_text(text, self.text_limit):
            body = {
                "recipient": {"id": psid},
                "messaging_type": "MESSAGE_TAG",
                "tag": "HUMAN_AGENT",
                "message": {"text": part},
            }
            if not await self.post(body):
                raise RuntimeError("Send API did not take the caseworker's reply")

    async def post(self, body: dict[str, Any]) -> bool:
        """POST to the Send API; 429, 5xx and network errors retried (bounded). Never raises."""
        try:
            await self.post_or_raise(body)
        except DeliveryFailed:
            return False
        return True

    async def post_or_raise(self, body: dict[str, Any]) -> None:
        """:meth:`post` that raises DeliveryFailed when the message was not taken.

        A refusal (4xx other than rate limits and our own token) is permanent: the user cannot
        be reached, retrying would only run the actions again. The rest is transient.
        """
        for attempt in range(1, MAX_ATTEMPTS + 1):
            try:
                reply = await self.client().post(
                    self.url, params={"access_token": self.page_token}, json=body
                )
            except httpx.HTTPError as exc:  # its text holds the URL, i.e. the token: type only
                logger.warning("messenger: Send API unreachable (%s)", type(exc).__name__)
                wait = float(attempt)
            else:
                if reply.status_code < 300:
                    return
                if reply.status_code != 429 and reply.status_code < 500 and not _throttled(reply):
                    logger.warning("messenger: Send API refused a message (%s)", reply.status_code)
                    what = f"Send API {reply.status_code}"
                    raise DeliveryFailed(what, permanent=not _token_refused(reply))
                try:
                    wait = float(reply.headers.get("Retry-After") or attempt)
                except ValueError:
                    wait = float(attempt)
            if attempt == MAX_ATTEMPTS or wait > MAX_RETRY_WAIT:
                break
            await self.sleep(wait)
        logger.warning("messenger: a message was given up after retries")
        raise DeliveryFailed("Send API")


# -- the input channel ---------------------------------------------------------------------------


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
        self.output.client()
        output = copy.copy(self.output)
        output.delivered = 0
        return output

    async def answer_degraded(self, key: str, event: MessengerEvent) -> None:
        """The channel's own answer while the stack cannot give one (once per message)."""
        if not self.degraded.first_time(key):
            return
        text = degraded_reply(event.text, event.metadata.get("language_code"))
        for part in split_text(text, self.output.text_limit):
            await self.output.post(
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
        event = _event(item)
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
        never_fail = _never_fail(CHANNEL)

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
