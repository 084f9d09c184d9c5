"""A tokenizer for all ten languages in one model.

Thai, Lao, Khmer, Burmese and Chinese are written without spaces between words; Rasa's
whitespace tokenizer would see a whole sentence as one token. ``bot.engines.segment`` splits those
scripts with ICU's word-break rules and everything else on whitespace. Zawgyi-encoded Burmese is
converted to Unicode first so both encodings reach the featurizers as the same words.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.tokenizers.tokenizer import Token, Tokenizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.engines.segment import segment
from bot.engines.text import zawgyi_to_unicode

#: The classifier reads the first 1,000 characters of a message: what a message is about is said
#: early, and the featurizers and DIET cost grows with its length (a 4,000-character message
#: took up to 140 ms of Rasa's event loop). The engines (triage, the offer check) still read
#: the whole capped message (bot.limits).
MAX_NLU_CHARS = 1000


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=False)
class SegmentingTokenizer(Tokenizer):
    """Splits unspaced scripts into words (ICU) and the others on whitespace."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            "intent_tokenization_flag": False,
            "intent_split_symbol": "_",
            "token_pattern": None,
            "prefix_separator_symbol": None,
        }

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> SegmentingTokenizer:
        return cls(config)

    def tokenize(self, message: Message, attribute: str) -> list[Token]:
        text = message.get(attribute) or ""
        if attribute == TEXT:
            text = text[:MAX_NLU_CHARS]
            # Converting changes offsets; we extract no entities, so token offsets only need to be
            # consistent with the converted text.
            text = zawgyi_to_unicode(text)
        tokens = [Token(word, start) for word, start, _ in segment(text)]
        if not tokens:  # emoji-only or punctuation-only messages still need one token
            tokens = [Token(text.strip() or "_", 0)]
        return self._apply_token_pattern(tokens)
