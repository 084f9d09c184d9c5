"""Safe-migration questions: one tap per topic, or a free question matched to a topic."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.common import entity_value, latest_text, menu_buttons, payload, resolve_language, say
from bot.faq import match_topic, topic, topics
from bot.i18n import t


def topic_buttons(language: str) -> list[dict[str, str]]:
    return [
        {"title": item.text("title", language), "payload": payload("ask_faq", faq_topic=item.id)}
        for item in topics()
    ]


class ActionAnswerFaq(Action):
    def name(self) -> str:
        return "action_answer_faq"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        language, events = resolve_language(tracker)
        chosen = entity_value(tracker, "faq_topic")
        item = topic(chosen) if chosen else None
        text = latest_text(tracker)
        if item is None and not text.startswith("/"):
            item = match_topic(text, language)
        if item is None:
            say(dispatcher, language, "faq.choose_topic", buttons=topic_buttons(language))
            return events
        answer = item.text("answer", language)
        source = t(language, "faq.source", source=item.source)
        dispatcher.utter_message(
            text=f"{answer}\n\n{source}",
            buttons=menu_buttons(language),
        )
        return events
