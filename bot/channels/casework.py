"""What both channels do for caseworkers: relay their replies, and never write first.

Each channel registers how it sends a text to one of its users. On every user message the
channel calls :meth:`Casework.user_wrote`, which opens the reply window and delivers any
caseworker replies that waited for the user. Telegram also feeds the operators' chat here.

Ids are conversation ids (``telegram:<chat>``, ``messenger:<psid>``, ``web:<id>``, see
:mod:`bot.identity`), and a reply goes to the sender of the channel its id names: a web chat case
is opened through Rasa's REST channel but answered through the web chat's page
(:mod:`bot.webchat.replies`). Nothing from a caseworker ever goes to a Telegram group, where
others would read it.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Awaitable, Callable
from functools import cached_property

from bot.casework import operators
from bot.casework.cases import Case, CaseStore
from bot.identity import channel_of, in_group
from bot.redis_server import target_from_env

logger = logging.getLogger(__name__)

SendText = Callable[[str, str], Awaitable[None]]  # (recipient id, text)


class Casework:
    def __init__(self) -> None:
        self.senders: dict[str, SendText] = {}

    @cached_property
    def store(self) -> CaseStore:
        return CaseStore(target_from_env().client(socket_timeout=5))

    @property
    def operators_chat_id(self) -> str | None:
        return (os.environ.get("OPERATORS_CHAT_ID") or "").strip() or None

    def register(self, channel: str, send: SendText) -> None:
        self.senders[channel] = send

    async def send_to_user(self, case: Case, text: str) -> None:
        if in_group(case.sender_id):  # cases are never opened in groups; never reply into one
            logger.warning("casework: a reply addressed to a group was dropped")
            return
        send = self.senders.get(channel_of(case.sender_id) or case.channel)
        if send is None:  # e.g. the REST channel cannot push: keep it for the next message
            await asyncio.to_thread(self.store.queue_reply, case, text)
            return
        await send(case.sender_id, text)

    async def user_wrote(self, channel: str, sender_id: str) -> None:
        """Open the reply window and hand over replies that waited for this user.

        Each reply leaves the outbox only after the platform took it: a crash or a refusal
        keeps it (and the ones after it) for the user's next message.
        """
        if in_group(sender_id):
            return  # a group is nobody's private line to a caseworker
        try:
            await asyncio.to_thread(self.store.touch_user, channel, sender_id)
            waiting = await asyncio.to_thread(self.store.peek_outbox, channel, sender_id)
        except Exception as exc:  # noqa: BLE001 - Redis trouble must not stop the conversation
            logger.warning("casework: could not read the outbox (%s)", type(exc).__name__)
            return
        send = self.senders.get(channel)
        for text in waiting:
            try:
                if send is None:
                    raise RuntimeError(f"no sender for {channel}")
                await send(sender_id, text)
            except Exception as exc:  # noqa: BLE001 - it stays in the outbox
                logger.warning("casework: reply not delivered (%s)", type(exc).__name__)
                return
            try:
                await asyncio.to_thread(self.store.pop_outbox, channel, sender_id, text)
            except Exception as exc:  # noqa: BLE001 - delivered; at worst it is sent again
                logger.warning("casework: could not update the outbox (%s)", type(exc).__name__)
                return

    async def operator_message(self, text: str, reply_to_message_id: int | None) -> str | None:
        """An operator wrote in the operators' chat; returns the confirmation to post there."""
        return await operators.handle(self.store, text, reply_to_message_id, self.send_to_user)


#: One per process: the Rasa server hosts both channels, which share it.
casework = Casework()
