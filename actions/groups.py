"""Telegram groups: nothing personal is asked, kept, handed over or erased where others read.

A group's conversation is shared by its members, so the actions never open a case, ask for
consent, erase data or take an alerts opt-in there. A cry for help in a group still gets the
hotlines at once, then a button that opens a private chat with the bot (``t.me/<bot>?start=help``,
passed by the Telegram channel as ``private_chat_url``), where all of that is safe.
"""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.common import metadata, say
from bot.i18n import t
from bot.identity import in_group

PRIVATE_LINK_PREFIX = "https://t.me/"


def in_group_chat(tracker: Tracker) -> bool:
    """Whether the conversation is a Telegram group (decided by its id, which nobody can forge)."""
    return in_group(tracker.sender_id)


def private_chat_buttons(tracker: Tracker, language: str) -> list[dict[str, str]]:
    url = metadata(tracker).get("private_chat_url")
    if not isinstance(url, str) or not url.startswith(PRIVATE_LINK_PREFIX):
        return []  # the bot's name was unknown: the text alone says to write privately
    return [{"title": t(language, "group.private_button"), "payload": url}]


def say_go_private(dispatcher: CollectingDispatcher, tracker: Tracker, language: str) -> None:
    """This is a group: talk privately (with the button that opens the private chat)."""
    say(dispatcher, language, "group.private", buttons=private_chat_buttons(tracker, language))
