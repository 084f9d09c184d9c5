"""What caseworkers write in the operators' chat: replies to cases and closing them.

``/reply <case> <text>`` or a reply to the case message sends ``text`` to the user; ``/close
<case>`` ends the case. The text reaches the user at once only if they wrote within the reply
window; otherwise it waits in their outbox for their next message (the bot never writes first).
A web chat user is told nothing unless their page is open: the operators are told "delivered" only
when the page took the reply, else that it waits until the person opens the chat again.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from bot import analytics
from bot.casework.cases import Case, CaseStore, operators_language
from bot.i18n import t
from bot.identity import WEB, channel_of

log = logging.getLogger(__name__)

SendToUser = Callable[[Case, str], Awaitable[None]]

_REPLY = re.compile(r"^/reply(?:@\w+)?\s+([0-9A-Fa-f]{8})\s+(.+)$", re.DOTALL)
_CLOSE = re.compile(r"^/close(?:@\w+)?\s+([0-9A-Fa-f]{8})\s*$")


class Queued(Exception):
    """The channel kept the reply in the user's outbox (e.g. no open web chat page took it)."""


@dataclass(frozen=True)
class OperatorCommand:
    kind: str  # "reply" | "close" | "help"
    case_id: str = ""
    text: str = ""


def parse(text: str, replied_case_id: str | None) -> OperatorCommand | None:
    text = text.strip()
    if match := _REPLY.match(text):
        return OperatorCommand("reply", match.group(1).upper(), match.group(2).strip())
    if match := _CLOSE.match(text):
        return OperatorCommand("close", match.group(1).upper())
    if replied_case_id and text and not text.startswith("/"):
        return OperatorCommand("reply", replied_case_id, text)
    if text.startswith(("/reply", "/close", "/help")):
        return OperatorCommand("help")
    return None  # ordinary chatter between operators


def queued_answer(case: Case) -> str:
    """What the operators are told about a reply that waits (the web chat's differs)."""
    if channel_of(case.sender_id) == WEB:
        return t(operators_language(), "operators.queued_webchat", case_id=case.id)
    return t(operators_language(), "operators.queued", case_id=case.id)


def user_message(case: Case, text: str) -> str:
    return t(case.language, "caseworker.message", text=text)


async def handle(
    store: CaseStore, text: str, reply_to_message_id: int | None, send_to_user: SendToUser
) -> str | None:
    """Carry out an operator's message; returns the confirmation for the operators' chat."""
    replied = store.case_for_operator_message(reply_to_message_id) if reply_to_message_id else None
    command = parse(text, replied)
    if command is None:
        return None
    if command.kind == "help":
        return t(operators_language(), "operators.usage")
    case = store.get(command.case_id)
    if case is None:
        return t(operators_language(), "operators.unknown_case", case_id=command.case_id)
    if command.kind == "close":
        store.close(case.id)
        if case.status != "closed":  # closing twice is one closed case
            analytics.count("cases:closed")
        return t(operators_language(), "operators.closed", case_id=case.id)
    if case.status == "closed":
        return t(operators_language(), "operators.case_is_closed", case_id=case.id)
    message = user_message(case, command.text)
    if store.user_recently_active(case.channel, case.sender_id):
        try:
            await send_to_user(case, message)
            return t(operators_language(), "operators.delivered", case_id=case.id)
        except Queued:  # already in the outbox: not queued twice
            return queued_answer(case)
        except Exception as exc:  # noqa: BLE001 - not delivered now: keep it for the user
            log.warning("caseworker reply not delivered now, queued (%s)", type(exc).__name__)
    store.queue_reply(case, message)
    return queued_answer(case)
