"""Deterministic intent overrides that run on every message, after the NLU classifiers.

Distress must never depend on what the statistical classifier happens to predict: the triage
engine runs on each message and a positive result (or a check-in: a wish to die the models read
as hyperbole) replaces the intent with ``distress``; so does a deployment's discreet code word
(the distress action then answers with a harmless-looking reply).
A long message that reads like a job ad becomes ``job_offer``, so an offer pasted without choosing
the menu path is still checked; so does the text a channel read from a picture (metadata ``ocr``),
since a picture sent without words is almost always an ad to check. A message that is only a
country's name ("Kenya", "เคนยา") answers one of the help questions: it becomes ``need_help``
with the entity ``place`` (the ISO code).
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import (
    ENTITIES,
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.engines.countries import country_named
from bot.engines.redflags import reads_like_pasted_ad
from bot.engines.triage import is_code_word, triage
from bot.verdicts import KEY as VERDICTS_KEY
from bot.verdicts import Verdicts, to_parse_data
from bot.warmup import warm_up_engines

DISTRESS_INTENT = "distress"
JOB_OFFER_INTENT = "job_offer"
HELP_INTENT = "need_help"
PLACE_ENTITY = "place"


def _override(message: Message, intent_name: str) -> None:
    intent = {INTENT_NAME_KEY: intent_name, "confidence": 1.0}
    message.set(INTENT, intent, add_to_output=True)
    ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != intent_name]
    message.set(INTENT_RANKING_KEY, [intent, *ranking], add_to_output=True)


def _demote(message: Message, intent_name: str) -> None:
    """Replace a predicted ``intent_name`` by the best other intent of the ranking."""
    ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != intent_name]
    if not ranking:
        return
    message.set(INTENT, ranking[0], add_to_output=True)
    message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)


def _attach(message: Message, verdicts: Verdicts) -> None:
    """Hand the checks to the actions (``tracker.latest_message["safety"]``)."""
    message.set(VERDICTS_KEY, to_parse_data(verdicts), add_to_output=True)


def from_picture(message: Message) -> bool:
    """The channel read this text from a picture (a screenshot or poster)."""
    metadata = message.get("metadata")
    return isinstance(metadata, dict) and metadata.get("ocr") is True


def route(message: Message) -> None:
    """Apply the overrides to one parsed message (public for unit tests).

    The checks' results are attached to the message (:mod:`bot.verdicts`) for the actions.
    Distress is decided by :func:`bot.engines.triage.triage` alone, so the bot and
    ``python -m bot triage`` take the same decision on the same text: a ``distress`` intent
    predicted by the classifier where triage says no is replaced by the next-best intent.
    """
    text = message.get(TEXT) or ""
    if not text.strip() or text.startswith("/"):
        return
    if is_code_word(text):
        _attach(message, Verdicts(code_word=True))
        _override(message, DISTRESS_INTENT)
        return
    result = triage(text)
    pasted = reads_like_pasted_ad(text)
    _attach(message, Verdicts(code_word=False, triage=result, pasted_ad=pasted))
    if result.reaches_out:  # the distress action answers a check-in too (with its own words)
        _override(message, DISTRESS_INTENT)
        return
    if (message.get(INTENT) or {}).get(INTENT_NAME_KEY) == DISTRESS_INTENT:
        _demote(message, DISTRESS_INTENT)
    if pasted or from_picture(message):
        _override(message, JOB_OFFER_INTENT)
    elif (code := country_named(text)) is not None:
        _override(message, HELP_INTENT)
        place = {"entity": PLACE_ENTITY, "value": code, "start": 0, "end": len(text)}
        message.set(ENTITIES, [*(message.get(ENTITIES) or []), place], add_to_output=True)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class SafetyRouter(GraphComponent):
    """Overrides the predicted intent for distress, the code word and pasted job offers."""

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> SafetyRouter:
        warm_up_engines()  # not on a person's first message
        return cls()

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            route(message)
        return messages
