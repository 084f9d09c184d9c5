"""Text normalisation shared by every engine.

``normalize`` turns any user message into one canonical form so that patterns written in the
content files match regardless of how the user typed: Unicode NFKC, case folding, invisible
characters removed, Burmese Zawgyi converted to Unicode, digits of every script made ASCII and
whitespace collapsed.  It never raises: engines call it on raw channel input.

Heavy dependencies (``myanmartools``, ICU) are loaded lazily, once, and only for text that
contains Burmese characters.
"""

from __future__ import annotations

import itertools
import logging
import re
import threading
import unicodedata
from functools import lru_cache
from typing import Any

log = logging.getLogger(__name__)

#: Probability above which myanmartools' detector says a Burmese text is Zawgyi-encoded.
ZAWGYI_THRESHOLD = 0.9
# Characters (from the first Burmese letter on) given to the Zawgyi detector.
_ZAWGYI_SAMPLE = 64

# Myanmar block plus its extensions; Zawgyi reuses these code points (and a few more in the block).
_MYANMAR_RE = re.compile("[\u1000-\u109f\uaa60-\uaa7f\ua9e0-\ua9ff]")
# Myanmar digit zero is often typed for the look-alike letter wa (U+101D).  It is the letter
# when it follows a Burmese letter/sign, is followed by a vowel sign or medial, or starts a
# syllable closed by a killed consonant ("၀န်" = "ဝန်"); elsewhere it stays a digit.
_MY_WA_RE = re.compile(
    "(?<=[\u1000-\u103e])\u1040(?![\u1040-\u1049])"
    "|\u1040(?=[\u102b-\u103e]|[\u1000-\u1021][\u103a\u1039])"
)

_zawgyi_detector: Any = None
_zawgyi_translit: Any = None
_zawgyi_unavailable = False
# ICU transliterators are not documented as thread-safe; conversions are rare, so serialise them.
_translit_lock = threading.Lock()


def _load_zawgyi() -> bool:
    """Load the Zawgyi detector and ICU transliterator once; False if either is missing."""
    global _zawgyi_detector, _zawgyi_translit, _zawgyi_unavailable
    if _zawgyi_detector is not None and _zawgyi_translit is not None:
        return True
    if _zawgyi_unavailable:
        return False
    try:
        import icu  # type: ignore[import-not-found]
        from myanmartools import ZawgyiDetector  # type: ignore[import-not-found]

        _zawgyi_detector = ZawgyiDetector()
        _zawgyi_translit = icu.Transliterator.createInstance("Zawgyi-my")
    except Exception:  # pragma: no cover - depends on the environment
        log.warning("Zawgyi conversion unavailable (myanmartools or ICU missing)")
        _zawgyi_unavailable = True
        return False
    return True


def zawgyi_probability(text: str) -> float:
    """Probability that ``text`` is Burmese in Zawgyi encoding (0.0 without Burmese letters)."""
    first = _MYANMAR_RE.search(text)
    if not first or not _load_zawgyi():
        return 0.0
    try:
        # The detector is pure Python (~1 ms per KB); a few hundred characters of Burmese
        # already give a decisive answer, and a message is typed in one encoding.
        sample = text[first.start() : first.start() + _ZAWGYI_SAMPLE]
        return float(_zawgyi_detector.get_zawgyi_probability(sample))
    except Exception:
        return 0.0


def zawgyi_to_unicode(text: str) -> str:
    """Convert Burmese ``text`` from Zawgyi to Unicode if it is Zawgyi; else return it unchanged."""
    try:
        if not _MYANMAR_RE.search(text):
            return text
        if zawgyi_probability(text) < ZAWGYI_THRESHOLD:
            return text
        with _translit_lock:
            return str(_zawgyi_translit.transliterate(text))
    except Exception:
        return text


@lru_cache(maxsize=1)
def _digit_table() -> dict[int, str]:
    """Map every Unicode decimal digit (category Nd) that is not ASCII to its ASCII digit."""
    table: dict[int, str] = {}
    # All decimal digits outside ASCII lie between Arabic-Indic (U+0660) and U+1FBF9.
    for cp in range(0x0660, 0x1FC00):
        ch = chr(cp)
        if unicodedata.category(ch) == "Nd":
            table[cp] = str(unicodedata.decimal(ch))
    return table


@lru_cache(maxsize=1)
def _clean_table() -> dict[int, Any]:
    """Translation table: digits to ASCII plus everything in ``_invisible_table``."""
    table: dict[int, Any] = dict(_digit_table())
    table.update(_invisible_table())
    return table


@lru_cache(maxsize=1)
def _invisible_table() -> dict[int, Any]:
    """Translation table: line breaks/tabs to space; controls, format chars, surrogates removed."""
    table: dict[int, Any] = {}
    # Controls and format characters only occur in the BMP, the SMP and the tag block (U+E00xx);
    # scanning just those keeps the one-time cost around 30 ms instead of 250 ms.
    for cp in itertools.chain(range(0x20000), range(0xE0000, 0xE0080)):
        if 0xD800 <= cp <= 0xDFFF:
            table[cp] = None  # lone surrogates: cannot be encoded, carry nothing
            continue
        cat = unicodedata.category(chr(cp))
        if cat == "Cc":
            # Tabs, newlines and other line/segment separators separate words: keep a space.
            table[cp] = " " if chr(cp).isspace() else None
        elif cat == "Cf":
            table[cp] = None  # zero-width space/joiners, BOM, bidi marks, soft hyphen...
    table[0x2028] = " "
    table[0x2029] = " "
    return table


def to_ascii_digits(text: str) -> str:
    """Replace digits of any script (Thai, Lao, Burmese, Khmer, Devanagari...) by ASCII digits."""
    try:
        if text.isascii():
            return text
        return text.translate(_digit_table())
    except Exception:
        return text


def _fix_myanmar_wa(text: str) -> str:
    """Turn Myanmar digit zero used as the letter wa (it touches Burmese letters) into wa."""
    if "\u1040" not in text:
        return text
    return _MY_WA_RE.sub("\u101d", text)


def normalize(text: str) -> str:
    """Return the canonical form of a message (see module docstring). Never raises."""
    try:
        if not isinstance(text, str):
            text = str(text)
        if text.isascii():
            return " ".join(text.translate(_clean_table()).lower().split())
        # Zawgyi must be detected on the raw code points, before NFKC reshuffles anything.
        if _MYANMAR_RE.search(text):
            # Invisible characters would confuse the detector; digits must stay Burmese until
            # the digit-zero/letter-wa repair has looked at them.
            text = zawgyi_to_unicode(text.translate(_invisible_table()))
            text = _fix_myanmar_wa(text)
        text = text.translate(_clean_table())
        text = unicodedata.normalize("NFKC", text).casefold()
        # Case folding can leave text that is not NFKC (e.g. 'ǰ' -> 'ǰ'); one more pass fixes it.
        text = unicodedata.normalize("NFKC", text)
        text = text.translate(_clean_table())
        return " ".join(text.split())
    except Exception:  # pragma: no cover - defensive: must never raise on user input
        log.debug("normalize failed", exc_info=True)
        try:
            return " ".join(
                text.encode("utf-8", "ignore").decode("utf-8", "ignore").casefold().split()
            )
        except Exception:
            return ""


# Han characters (CJK Unified Ideographs): the range traditional -> simplified folding covers.
_HAN_RE = re.compile("[\u4e00-\u9fff]")


@lru_cache(maxsize=1)
def _simplified_table() -> dict[int, str]:
    """Traditional Han characters to their simplified form, one for one (empty without ICU)."""
    try:
        import icu  # type: ignore[import-not-found]

        translit = icu.Transliterator.createInstance("Traditional-Simplified")
        chars = "".join(chr(cp) for cp in range(0x4E00, 0xA000))
        with _translit_lock:
            out = str(translit.transliterate(chars))
    except Exception:  # pragma: no cover - depends on the environment
        log.warning("traditional Chinese folding unavailable (ICU missing)")
        return {}
    if len(out) != len(chars):  # pragma: no cover - ICU maps one for one over this range
        return {}
    return {ord(a): b for a, b in zip(chars, out, strict=True) if a != b}


def to_simplified(text: str) -> str:
    """Fold traditional Chinese characters to simplified ones, one for one (offsets stay valid).

    Content patterns are written in simplified Chinese; ads from Taiwan, Hong Kong or Macau are
    not. Never raises; text without Han characters is returned as it is.
    """
    try:
        if text.isascii() or not _HAN_RE.search(text):
            return text
        return text.translate(_simplified_table())
    except Exception:  # pragma: no cover - defensive
        return text


def is_han(ch: str) -> bool:
    """A Chinese character (CJK unified ideographs, extension A, compatibility)."""
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"


#: A run of three or more of one character. Python's ``re`` with a fixed backreference: a run
#: is consumed once and every other position costs constant work, so the scan is linear.
_RUN = re.compile(r"(.)\1{2,}", re.DOTALL)


def _squeezed_run(match: re.Match[str]) -> str:
    ch = match.group(1)
    return ch if unicodedata.category(ch)[0] in "LM" and not is_han(ch) else match.group(0)


def squeeze_repeats(text: str) -> str:
    """Runs of three or more of one letter or combining mark cut to one ("helppp" -> "help",
    "ช่วยด้วยยย" -> "ช่วยด้วย", "ကယ်ပါဦးးးး" -> "ကယ်ပါဦး"), for patterns to match a stretched word.
    Two stay two: many real words double a letter ("good", "ธรรม"); few triple one ("www",
    "zzz"), and the caller matches both forms. Han characters stay: "哈哈哈" is laughter, not
    a stretched word; digits and punctuation stay ("30,000"). Linear, in C (a loop over the
    characters in Python cost 0.3 ms on a 1 KB ad, six times a triage); the result is shorter,
    so offsets do not map back. Never raises."""
    try:
        return _RUN.sub(_squeezed_run, text) if len(text) >= 3 else text
    except Exception:  # pragma: no cover - defensive
        return text
