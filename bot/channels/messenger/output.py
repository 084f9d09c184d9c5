"""Rasa's replies → Messenger messages: quick replies, button templates, the 2000-character limit.

Rendering is here; sending goes through :mod:`.api`.
"""

from __future__ import annotations

from typing import Any

from bot.channels.common import Button, Outgoing, shorten_payload, split_text, trim
from bot.channels.messenger.api import SendApi
from bot.channels.messenger.input import CHANNEL
from bot.channels.webhook import PlatformOutput
from bot.identity import native_id

TEXT_LIMIT = 2000
MAX_QUICK_REPLIES = 13
QUICK_REPLY_TITLE = 20
PAYLOAD_BYTES = 1000
TEMPLATE_TEXT = 640
TEMPLATE_BUTTONS = 3


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


class MessengerOutput(PlatformOutput):
    text_limit = TEXT_LIMIT

    def __init__(self, page_token: str, graph_url: str) -> None:
        self.api = SendApi(page_token, graph_url)

    @classmethod
    def name(cls) -> str:
        return CHANNEL

    async def deliver(self, recipient_id: str, outgoing: Outgoing) -> None:
        """``recipient_id`` is a conversation id; an id of another channel raises ForeignId."""
        psid = native_id(CHANNEL, recipient_id)
        for message in message_payloads(outgoing):
            await self.api.post_or_raise(
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
            if not await self.api.post(body):
                raise RuntimeError("Send API did not take the caseworker's reply")
