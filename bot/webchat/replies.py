"""Caseworker replies in the web chat: the open page asks for them, and takes only its own.

A web chat conversation reaches Rasa through the REST channel, so its cases, outbox and reply
window are stored under channel ``rest`` and the conversation id ``web:<id>`` of the signed
cookie (:data:`STORE_CHANNEL`). The rules are the other channels' (the bot never writes first):

- the reply window opens when the person writes, or opens the chat page while a reply waits;
- the open page asks every :data:`POLL_SECONDS` (``GET /api/replies``); each ask marks the page
  open for :data:`PRESENT_SECONDS`, and returns the waiting replies only within the window;
- a reply leaves the outbox only after the response carrying it was written to the page;
- the Rasa server (where caseworkers' commands arrive) puts a live reply in the outbox and waits
  up to :data:`PICKUP_SECONDS` for the open page to take it: the operators are told "delivered"
  only then, otherwise :class:`bot.casework.operators.Queued` ("until the person opens the chat").

A closed page, a closed browser or a lost cookie is indistinguishable from a person who left:
their replies wait in the outbox (until it expires or they erase their data).
"""

from __future__ import annotations

import asyncio
import time

from bot.casework.cases import CaseStore
from bot.casework.operators import Queued
from bot.identity import REST

#: Where the web chat's conversations are stored (it reaches Rasa through the REST channel).
STORE_CHANNEL = REST
POLL_SECONDS = 3
PRESENT_SECONDS = 10  # a page that has not asked for three polls is taken as closed
PICKUP_SECONDS = 8.0
PICKUP_CHECK_SECONDS = 0.25


def person_wrote(store: CaseStore, conversation: str) -> None:
    """The person wrote: the reply window opens (as on every channel)."""
    store.touch_user(STORE_CHANNEL, conversation)


def chat_opened(store: CaseStore, conversation: str) -> None:
    """The page was opened: if a reply waits, opening the chat opens the window for it."""
    if store.peek_outbox(STORE_CHANNEL, conversation):
        store.touch_user(STORE_CHANNEL, conversation)


def waiting_for_page(store: CaseStore, conversation: str) -> list[str]:
    """The replies the open page may show now (they stay in the outbox until :func:`shown`)."""
    store.mark_page_open(STORE_CHANNEL, conversation, PRESENT_SECONDS)
    waiting = store.peek_outbox(STORE_CHANNEL, conversation)
    if not waiting or not store.user_recently_active(STORE_CHANNEL, conversation):
        return []
    return waiting


def shown(store: CaseStore, conversation: str, texts: list[str]) -> None:
    """The page has these replies: they leave the outbox."""
    for text in texts:
        store.pop_outbox(STORE_CHANNEL, conversation, text)


def copies(store: CaseStore, conversation: str, text: str) -> int:
    return store.peek_outbox(STORE_CHANNEL, conversation).count(text)


async def send_to_page(
    store: CaseStore, conversation: str, text: str, wait: float = PICKUP_SECONDS
) -> None:
    """Hand a live reply to the person's open page; :class:`Queued` when no page took it in time.

    Either way the reply is in the outbox exactly once: the page takes it when it is next open.
    """
    before = await asyncio.to_thread(copies, store, conversation, text)
    await asyncio.to_thread(store.queue_for_user, STORE_CHANNEL, conversation, [text])
    if not await asyncio.to_thread(store.page_open, STORE_CHANNEL, conversation):
        raise Queued("no web chat page is open")
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        await asyncio.sleep(PICKUP_CHECK_SECONDS)
        if await asyncio.to_thread(copies, store, conversation, text) <= before:
            return
    raise Queued("the web chat page did not take the reply in time")
