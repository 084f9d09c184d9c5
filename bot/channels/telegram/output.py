"""Rasa's replies → Telegram messages: inline keyboards, photos, the 4096-character limit.

Rendering (the keyboard, the split) is here; sending goes through :mod:`.api`.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup

from bot.channels.casework import casework
from bot.channels.common import Outgoing, utf16_len
from bot.channels.telegram.api import call_or_raise, call_with_retries
from bot.channels.telegram.input import CHANNEL, CallbackPayloads
from bot.channels.webhook import PlatformOutput
from bot.identity import in_group, native_id

logger = logging.getLogger(__name__)

TEXT_LIMIT = 4096  # sendMessage text, in UTF-16 code units
DELETABLE_FOR = 48 * 3600  # the Bot API lets a bot delete messages of a private chat for 48 h


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
