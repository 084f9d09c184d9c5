"""Word segmentation for scripts written without spaces (Thai, Lao, Khmer, Burmese, Chinese).

``segment`` returns words with their offsets into the original text, for a Rasa tokenizer.
ICU's dictionary-based word BreakIterator does the work for every script (it also keeps
"don't" or "1,000" whole in Latin text); without ICU, text is split on whitespace and
punctuation and the scripts written without spaces fall back to one token per character.
"""

from __future__ import annotations

import logging
import re
import threading
import unicodedata
from typing import Any

log = logging.getLogger(__name__)

Token = tuple[str, int, int]

# Scripts written without spaces between words: Thai, Lao, Myanmar, Khmer, CJK.
_NO_SPACE_RE = re.compile(
    "[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u19e0-\u19ff\u3040-\u30ff\u3400-\u4dbf"
    "\u4e00-\u9fff\uf900-\ufaff\ua9e0-\ua9ff\uaa60-\uaa7f\U00020000-\U0003134f]"
)
# Fallback tokenizer (no ICU): a char of a no-space script alone, or a run of word characters.
_FALLBACK_RE = re.compile(
    "([\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u19e0-\u19ff\u3040-\u30ff\u3400-\u4dbf"
    "\u4e00-\u9fff\uf900-\ufaff\ua9e0-\ua9ff\uaa60-\uaa7f\U00020000-\U0003134f]"
    "[\u0300-\u036f\u0e31\u0e34-\u0e3a\u0e47-\u0e4e\u0eb1\u0eb4-\u0ebc\u0ec8-\u0ecd"
    "\u102b-\u103e\u1056-\u1059\u105e-\u1060\u1062-\u1064\u1067-\u106d\u1071-\u1074"
    "\u1082-\u108d\u108f\u109a-\u109d\u17b4-\u17d3\u17dd]*)"
    r"|((?:[^\W_]|[\u0300-\u036f\u0900-\u0903\u093a-\u094f\u0951-\u0957\u0962\u0963])+"
    r"(?:['’](?:[^\W_])+)*)"
)

_local = threading.local()
_icu_failed = False


def _word_iterator() -> Any:
    """A per-thread ICU word BreakIterator (instances are not thread-safe); None without ICU."""
    global _icu_failed
    if _icu_failed:
        return None
    it = getattr(_local, "iterator", None)
    if it is None:
        try:
            import icu  # type: ignore[import-not-found]

            it = icu.BreakIterator.createWordInstance(icu.Locale.getRoot())
        except Exception:  # pragma: no cover - depends on the environment
            log.warning("ICU unavailable; segmenting per character for Thai/Lao/Khmer/Burmese/Han")
            _icu_failed = True
            return None
        _local.iterator = it
    return it


def _is_wordlike(token: str) -> bool:
    """True if the token carries a letter, digit, mark or symbol (emoji), not only punctuation."""
    for ch in token:
        cat = unicodedata.category(ch)
        if cat[0] in "LMN" or cat == "So":
            return True
    return False


def _utf16_to_index(text: str) -> list[int] | None:
    """Map UTF-16 offsets to str indices; None when they coincide (no astral characters)."""
    if all(ord(ch) < 0x10000 for ch in text):
        return None
    mapping: list[int] = []
    for i, ch in enumerate(text):
        mapping.append(i)
        if ord(ch) >= 0x10000:
            mapping.append(i)  # second code unit of a surrogate pair: never a boundary
    mapping.append(len(text))
    return mapping


def _segment_icu(text: str, it: Any) -> list[Token]:
    # Lone surrogates cannot be passed to ICU; replace them (same length keeps offsets aligned).
    safe = text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    if len(safe) != len(text):
        safe = "".join("\ufffd" if 0xD800 <= ord(c) <= 0xDFFF else c for c in text)
    it.setText(safe)
    mapping = _utf16_to_index(safe)
    tokens: list[Token] = []
    start = it.first()
    while True:
        end = it.nextBoundary()
        if end == -1:
            break
        s, e = (mapping[start], mapping[end]) if mapping else (start, end)
        token = text[s:e]
        if token and not token.isspace() and _is_wordlike(token):
            tokens.append((token, s, e))
        start = end
    return tokens


def _segment_fallback(text: str) -> list[Token]:
    return [(m.group(0), m.start(), m.end()) for m in _FALLBACK_RE.finditer(text)]


def segment(text: str) -> list[Token]:
    """Split ``text`` into (word, start, end) with ``text[start:end] == word``. Never raises."""
    try:
        if not isinstance(text, str) or not text:
            return []
        it = _word_iterator()
        if it is not None:
            try:
                return _segment_icu(text, it)
            except Exception:
                log.debug("ICU segmentation failed; falling back", exc_info=True)
        return _segment_fallback(text)
    except Exception:  # pragma: no cover - defensive
        log.debug("segmentation failed", exc_info=True)
        return []
