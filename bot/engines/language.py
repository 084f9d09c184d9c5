"""Language identification for the ten languages the assistant serves.

Script first: a message containing Thai, Lao, Khmer, Burmese, Han or Devanagari letters is in that
language (we serve only Nepali among Devanagari languages), even when English words are mixed in.
Latin-script messages are told apart (en, vi, id, tl) by cheap general cues — Vietnamese-only
letters and frequent function words of each language — combined with ``langdetect`` restricted
to those four profiles.  Content-free messages ("hi", "ok", emoji, digits) are not reliable and
fall back to the channel's language hint.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from bot import DEFAULT_LANGUAGE, LANGUAGES
from bot.engines.text import normalize
from bot.languages import BY_CODE, TABLE

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class LanguageGuess:
    """Detected language ``code`` (one of ``LANGUAGES``) and whether the guess can be trusted."""

    code: str
    reliable: bool


# --- language codes --------------------------------------------------------------------------

# Codes that clients (Telegram's language_code, browsers) send for our languages.
_CODE_ALIASES: dict[str, str] = {
    alias: language.code for language in TABLE for alias in language.aliases
}


def normalize_language_code(code: str | None) -> str | None:
    """Map a client language code ("zh-hans", "fil", "in", "en_US") to one of ``LANGUAGES``.

    Returns None for empty or unsupported codes.
    """
    if not code or not isinstance(code, str):
        return None
    base = code.strip().lower().replace("_", "-").split("-", 1)[0]
    base = _CODE_ALIASES.get(base, base)
    return base if base in LANGUAGES else None


# --- script pass -----------------------------------------------------------------------------

# One pattern per non-Latin script we serve; letters and signs only (digits are not evidence).
_SCRIPT_PATTERNS: dict[str, str] = {
    code: BY_CODE[code].script  # type: ignore[misc]
    for code in ("th", "lo", "km", "my", "zh", "ne")  # the order the counts were always made in
}
_NON_LATIN_RE = re.compile(
    "[\u0900-\u097f\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u19e0-\u19ff\u3400-\u9fff"
    "\uf900-\ufaff\ua8e0-\ua8ff\ua9e0-\ua9ff\uaa60-\uaa7f\U00020000-\U0003134f]"
)
# Latin letters including Vietnamese and other diacritics.
_LATIN_WORD_RE = re.compile(r"[a-z\u00c0-\u024f\u1e00-\u1eff]+(?:'[a-z]+)?")
_ANY_LETTER_RE = re.compile(r"[^\W\d_]")

#: Letters written only in Vietnamese among our Latin languages (hooks, horns, dots below, đ).
_VI_LETTER_RE = re.compile("[ăâđêôơư\u1ea0-\u1ef9]")

# Text longer than this is cut before detection: the start of a message is enough evidence.
_MAX_CHARS = 2000
# langdetect's cost grows with the text; a few hundred characters are plenty for it.
_LANGDETECT_CHARS = 400


@lru_cache(maxsize=1)
def _script_res() -> dict[str, re.Pattern[str]]:
    return {code: re.compile(p) for code, p in _SCRIPT_PATTERNS.items()}


def _script_counts(text: str) -> dict[str, int]:
    """Count letters of each non-Latin script we serve."""
    if not _NON_LATIN_RE.search(text):
        return {}
    counts = {}
    for code, rx in _script_res().items():
        n = len(rx.findall(text))
        if n:
            counts[code] = n
    return counts


# --- Latin cues ------------------------------------------------------------------------------

# Frequent, distinctive words per Latin-script language: ``cue_words`` of :mod:`bot.languages`
# (this order is the order the index was always built in).
_CUE_WORDS: dict[str, tuple[str, ...]] = {
    code: BY_CODE[code].cue_words for code in ("en", "id", "tl", "vi", "ne")
}
# Words that are frequent in two or more of our Latin languages: weak evidence for each.
_AMBIGUOUS = frozenset(
    "a an i ko k o di la the can ban sana na da ma bang dan cho da ba lo ya bi ai "
    "an so on to hai em anh chi me con may do it dong tau ga nang chu cha".split()
)
# Two-word expressions that are unmistakable although each word alone is ambiguous.
_CUE_PHRASES: dict[str, str] = {
    "cam on": "vi",
    "xin chao": "vi",
    "xin loi": "vi",
    "o dau": "vi",
    "lam sao": "vi",
    "the nao": "vi",
    "bao nhieu": "vi",
    "di lam": "vi",
    "terima kasih": "id",
    "di mana": "id",
    "ke mana": "id",
    "di sini": "id",
    "di sana": "id",
    "ko alam": "tl",
    "di ko": "tl",
    "ko po": "tl",
}

#: Weight of a cue word. English words are frequent inside messages in the other languages
#: (job, visa, salary...), so a non-English function word counts for more than an English one.
_LANG_WEIGHT = {"en": 0.7, "id": 1.0, "tl": 1.0, "vi": 1.0, "ne": 1.0}

#: Messages made only of these carry no language evidence (greetings, acknowledgements, SOS).
_CONTENT_FREE = frozenset(
    "hi hii hiii hey heyy hello helo hallo halo hai ok okay oke okey okie k kk ok ok yes no "
    "yeah yep nope sos help lol haha hahaha hehe hmm hm test thanks thx ty bye good nice "
    "wow oh ah uh sorry pls plz please admin bro sis good morning afternoon evening night "
    "gm gn".split()
)


@lru_cache(maxsize=1)
def _cue_index() -> dict[str, dict[str, float]]:
    """word -> {lang: weight}, built once."""
    index: dict[str, dict[str, float]] = {}
    for lang, words in _CUE_WORDS.items():
        for word in words:
            weight = _LANG_WEIGHT[lang] * (0.3 if word in _AMBIGUOUS else 1.0)
            index.setdefault(word, {})[lang] = weight
    return index


# Vietnamese without diacritics still has tell-tale spellings: syllables ending in "ng"/"nh"
# preceded by typical vowels, initials "ngh", "nh", "kh", "tr", "ph", "qu" + "uo"/"ie" nuclei.
_VI_SYLLABLE_RE = re.compile(
    r"^(?:ngh|ng|nh|kh|tr|ph|th|ch|gi|qu|[bcdghklmnprstvx])?"
    r"(?:uye|uoi|uon|uong|ieu|uoc|uot|iec|iet|ien|ieng|yeu|uyen|oai|oay|uay|uou|ay|ao|au|"
    r"oi|ui|ua|uo|ie|ia|oa|oe|uy|ai|eo|ue|[aeiouy])(?:ng|nh|ch|[cmnpt])?$"
)


# Indonesian/Malay affixes: -nya, -kan, -lah, -kah; me(N)-/ber-/ter-/per- ... -kan/-i.
_ID_AFFIX_RE = re.compile(
    r"^(?:[a-z]{3,}(?:nya|kan|lah|kah)|(?:meng|meny|mem|men|ber|ter|per|di)[a-z]{3,}(?:kan|i))$"
)
# Tagalog verb prefixes (nag-, mag-, naka-, maka-, pinag-, ipa-...) followed by a stem.
_TL_AFFIX_RE = re.compile(r"^(?:nag|mag|pag|nakaka|naka|maka|pinag|pina|ipag|ipa|ika)[a-z]{4,}$")


def _strip_marks(word: str) -> str:
    """Remove diacritics ("chào" -> "chao", "đi" -> "di") so cue lists work for both spellings."""
    if word.isascii():
        return word
    decomposed = unicodedata.normalize("NFD", word.replace("đ", "d"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _latin_cues(words: list[str]) -> tuple[dict[str, float], dict[str, float]]:
    """Score Latin-script languages from the words of a normalised message.

    Returns (scores, hits): weighted evidence per language, and how many words backed it
    (an ambiguous word counts half), used to judge reliability.
    """
    index = _cue_index()
    scores = dict.fromkeys(_LANG_WEIGHT, 0.0)
    hits = dict.fromkeys(_LANG_WEIGHT, 0.0)
    vi_like = 0
    for word in words:
        bare = _strip_marks(word)
        for lang, weight in index.get(bare, {}).items():
            scores[lang] += weight
            hits[lang] += 0.5 if bare in _AMBIGUOUS else 1.0
        if _ID_AFFIX_RE.match(bare):
            scores["id"] += 0.5
            hits["id"] += 0.5
        elif _TL_AFFIX_RE.match(bare):
            scores["tl"] += 0.5
            hits["tl"] += 0.5
        if _VI_SYLLABLE_RE.match(bare):
            vi_like += 1
    bare_words = [_strip_marks(w) for w in words]
    for first, second in zip(bare_words, bare_words[1:], strict=False):
        lang = _CUE_PHRASES.get(f"{first} {second}")
        if lang:
            scores[lang] += 1.0
            hits[lang] += 1.0
    # Vietnamese typed without diacritics: nearly every word is one well-formed syllable.
    if len(words) >= 3 and vi_like >= 0.9 * len(words):
        scores["vi"] += 1.5
        hits["vi"] += 1.0
    return scores, hits


# --- langdetect, restricted to our Latin languages ---------------------------------------------

_factory: Any = None
_factory_failed = False


def _langdetect_factory() -> Any:
    """A langdetect factory holding only the en/vi/id/tl profiles (deterministic, seed 0)."""
    global _factory, _factory_failed
    if _factory is not None or _factory_failed:
        return _factory
    try:
        import json
        import os

        import langdetect
        from langdetect.detector_factory import DetectorFactory
        from langdetect.utils.lang_profile import LangProfile

        DetectorFactory.seed = 0
        factory = DetectorFactory()
        factory.seed = 0
        profiles = os.path.join(os.path.dirname(langdetect.__file__), "profiles")
        langs = ("en", "vi", "id", "tl")
        for index, lang in enumerate(langs):
            with open(os.path.join(profiles, lang), encoding="utf-8") as fh:
                factory.add_profile(LangProfile(**json.load(fh)), index, len(langs))
        _factory = factory
    except Exception:  # pragma: no cover - depends on the environment
        log.warning("langdetect unavailable; Latin languages decided by cues only")
        _factory_failed = True
    return _factory


def _langdetect_probs(text: str) -> dict[str, float]:
    """Probabilities of en/vi/id/tl for ``text`` according to langdetect ({} on failure)."""
    factory = _langdetect_factory()
    if factory is None:
        return {}
    try:
        detector = factory.create()
        detector.append(text)
        return {p.lang: p.prob for p in detector.get_probabilities()}
    except Exception:
        return {}


# --- public API ------------------------------------------------------------------------------


def _fallback(hint: str | None) -> LanguageGuess:
    code = normalize_language_code(hint)
    return LanguageGuess(code or DEFAULT_LANGUAGE, False)


def detect_language(text: str, hint: str | None = None) -> LanguageGuess:
    """Guess the language of a user message; ``hint`` is the client's language code, if any."""
    try:
        return _detect(text, hint)
    except Exception:  # pragma: no cover - defensive: never raise on user input
        log.debug("language detection failed", exc_info=True)
        return _fallback(hint)


def _detect(text: str, hint: str | None) -> LanguageGuess:
    if not isinstance(text, str) or not text:
        return _fallback(hint)
    norm = normalize(text[: _MAX_CHARS * 2])[:_MAX_CHARS]

    # 1. Script: any letters of a non-Latin script we serve decide the language.
    counts = _script_counts(norm)
    if counts:
        code = max(counts, key=lambda c: counts[c])
        return LanguageGuess(code, counts[code] >= 2)

    # 2. Latin script.
    words = _LATIN_WORD_RE.findall(norm)
    if not words:
        return _fallback(hint)
    if all(w in _CONTENT_FREE for w in words):
        return _fallback(hint)

    vi_letters = len(_VI_LETTER_RE.findall(norm))
    if vi_letters >= 2 or (vi_letters == 1 and len(words) <= 2):
        return LanguageGuess("vi", True)

    return _detect_latin(norm, words, hint)


def _detect_latin(norm: str, words: list[str], hint: str | None) -> LanguageGuess:
    """Decide between en, vi, id, tl (and romanised Nepali) for a Latin-script message."""
    cues, hits = _latin_cues(words)
    letters = sum(len(w) for w in words)
    probs = _langdetect_probs(norm[:_LANGDETECT_CHARS]) if letters >= 6 else {}
    # Mixed messages: English words (job, visa, salary...) are common inside messages written
    # in the other languages, while two function words of another language seldom appear in an
    # English message; then langdetect's vote for English (driven by those words) is dropped.
    other = max(("id", "tl", "vi", "ne"), key=lambda c: cues[c])
    # Likewise when no English function word is present at all but another language's is.
    if (hits[other] >= 2.0 and cues[other] >= 2 * cues["en"]) or (
        hits[other] >= 1.0 and hits["en"] == 0
    ):
        probs.pop("en", None)
    # Conversely, a sentence with three or more English function words and at most one word of
    # another language is English with a name or loanword in it ("the agency Tulong Kabayan").
    elif hits["en"] >= 3.0 and hits[other] <= 1.0:
        probs = {"en": probs.get("en", 0.0)}
    # langdetect is trustworthy on longer texts; cues dominate short ones.
    ld_weight = min(2.5, letters / 15.0)
    scores = {lang: cues[lang] + ld_weight * probs.get(lang, 0.0) for lang in cues}
    ranked = sorted(scores, key=lambda c: scores[c], reverse=True)
    best, second = ranked[0], ranked[1]
    if scores[best] <= 0.0:
        return _fallback(hint)
    margin = scores[best] - scores[second]
    prob = probs.get(best, 0.0)
    distinct = len(set(words))
    reliable = margin >= 0.4 and (
        hits[best] >= 2.0  # two function words of the language
        or (hits[best] >= 1.0 and (distinct == 1 or prob >= 0.8))  # one, confirmed
        or (hits[best] >= 1.0 and all(hits[o] == 0 for o in hits if o != best))  # unopposed
        or (distinct >= 3 and letters >= 15 and prob >= 0.9)  # a real sentence, langdetect
    )
    if not reliable:
        preferred = normalize_language_code(hint)
        if preferred in scores and scores[preferred] >= scores[best] - 0.5:
            return LanguageGuess(preferred, False)
    return LanguageGuess(best, reliable)
