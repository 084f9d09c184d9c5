"""Word lists as literals: content words in the form of normalised text, and lists as tries.

Used where a list of plain words (currencies, units, place names) is matched as words rather
than as editor-written patterns. Imports no Rasa, HTTP or Redis code.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any


def prepare_literal(word: str) -> str:
    """A content word (currency, unit, place name) in the form of normalised text."""
    text = unicodedata.normalize("NFKC", word)
    return "".join(ch for ch in text if unicodedata.category(ch) != "Cf").casefold()


def trie_regex(words: list[str]) -> str:
    """A regex matching any of ``words`` (literals), shaped as a trie.

    Built by code from escaped literals only (no editor-written syntax), so even on Python's
    ``re`` one attempt costs at most the length of the longest word: linear in the text.
    """
    trie: dict[str, Any] = {}
    for word in set(words):
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict[str, Any]) -> str:
        keys = sorted(k for k in node if k)
        if not keys:
            return ""
        alts = [re.escape(k) + emit(node[k]) for k in keys]
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return "(?:" + body + ")?" if "" in node else body

    return emit(trie)


__all__ = ["prepare_literal", "trie_regex"]
