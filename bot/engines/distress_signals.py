"""Finding the signals of ``content/distress.yml`` in a message: the matching half of triage.

Split from :mod:`bot.engines.triage` (which makes the decision) so that the actions can ask the
same questions the decision asks — which signals a text carries, whether its writer says it is
happening to them — without a second reading of the content's settings.

Design notes:
* Every language's patterns are tried on every message (people mix languages; short messages
  defeat language detection).
* Guard patterns ("help me understand", "renew my passport") are cut out of the text before the
  signals are matched: an ordinary question does not fire, a real signal beside it still does.
* A message with a stretched word ("helppp", "ช่วยด้วยยย") is matched twice, as typed and with
  runs of three or more letters cut to one (:func:`.text.squeeze_repeats`); a signal found in
  either form counts, so laughter written as a run ("kkk", "ถถถ") still counts as typed.
* Nothing here caches a text: a cache would keep users' messages in memory.
"""

from __future__ import annotations

import logging
import unicodedata
from collections.abc import Sequence

from bot.engines import distress_content
from bot.engines.distress_content import DistressContent, Matcher, Signal
from bot.engines.distress_training import model_text
from bot.engines.patterns import MASK, fold, fold_offsets
from bot.engines.text import is_han, squeeze_repeats, to_simplified

log = logging.getLogger(__name__)

#: The signal of a plain call for help ("help", "sos", "ช่วยด้วย"): see ``bare_cry_words``.
CALL_FOR_HELP = "CALL_FOR_HELP"


def prepared(text: str) -> str:
    """The text the patterns read: the model's normalisation, simplified Chinese, folded."""
    return folded_for_patterns(model_text(text))


def folded_for_patterns(normalized: str) -> str:
    """:func:`prepared` of a text already normalised for the model (triage needs both forms)."""
    return fold(to_simplified(normalized))


def forms(folded: str) -> tuple[str, ...]:
    """The folded text, and its squeezed form when a letter is stretched (see module notes)."""
    squeezed = squeeze_repeats(folded)
    return (folded,) if squeezed == folded else (folded, squeezed)


def found_signals(signals: tuple[Signal, ...], guard: Matcher | None, folded: str,
                  stretched: bool = True) -> set[str]:
    """Ids of the signals found in either form of ``folded`` once the guards are blanked. The
    squeezed form is computed from the guarded text, so a guard written on a run ("kkk") still
    holds, and is guarded again ("helppp me understand"). ``stretched=False`` (``folded`` has no
    run to squeeze) skips that: blanking only removes letters, it cannot make a run."""
    masked = _mask(folded, guard)
    texts = [masked]
    squeezed = squeeze_repeats(masked) if stretched else masked
    if squeezed != masked:
        texts.append(_mask(squeezed, guard))
    return {s.id for s in signals if any(s.matcher.search(form) for form in texts)}


def without_signals(normalized: str, folded: str,
                    signals: Sequence[Signal]) -> tuple[str, int]:
    """The model text ``normalized`` with the spans that ``signals`` match in its pattern form
    ``folded`` (:func:`folded_for_patterns`) blanked, spaces squeezed ("finals tomorrow. i" of
    "finals tomorrow. i want to die"), and the letters of the words no span touched (leftovers
    such as "i", "aja", "တယ်" do not count). Nothing blanked (a wish found only stretched,
    "dieeee"): ``("", 0)``. The offsets are not cached: triage keeps no message text."""
    masked = folded
    for signal in signals:
        masked = signal.matcher.mask(masked)
    if masked == folded:
        return "", 0
    offsets = fold_offsets.__wrapped__(to_simplified(normalized))  # one for one: offsets hold
    chars = list(normalized)
    for i, (was, now) in enumerate(zip(folded, masked, strict=True)):
        if now == MASK and was != MASK:
            chars[offsets[i]] = MASK
    blanked = "".join(chars)
    letters = sum(ch.isalpha() for word in blanked.split(" ") if MASK not in word for ch in word)
    return " ".join(blanked.replace(MASK, " ").split()), letters


def weighted_letters(text: str) -> int:
    """Letters of ``text`` with the vowel signs of the Brahmic scripts (combining marks: "ប្រជុំ",
    meeting, is three letters and three marks), a Chinese character counting three ("加班",
    two characters, says what "overtime", eight letters, says)."""
    return sum(3 if is_han(ch) else 1
               for ch in text if ch.isalpha() or unicodedata.category(ch).startswith("M"))


def _mask(text: str, guard: Matcher | None) -> str:
    # Blanked with line breaks: patterns' "." cannot reach across a removed span.
    return guard.mask(text) if guard is not None else text


def any_signal(data: DistressContent, ids: frozenset[str], texts: tuple[str, ...]) -> bool:
    """One of the signals ``ids`` in one of ``texts``, guards not applied ("not joking" beside
    "joking", "watched the doc" beside a film)."""
    return any(s.matcher.search(f) for s in data.signals if s.id in ids for f in texts)


def match_signals(text: str) -> list[str]:
    """Ids of all signal patterns found in ``text`` (before the distress rules apply)."""
    data = distress_content.content()
    found = found_signals(data.signals, data.guard, prepared(text))
    return [s.id for s in data.signals if s.id in found]


def first_hand(data: DistressContent, found: set[str]) -> bool:
    """One of ``first_hand_signals`` found and none of ``first_hand_unless_signals``: the writer
    says it is happening to them ("stuck here two months", "I'm not joking"), not a survivor."""
    return bool(found & data.first_hand_signals) and not found & data.first_hand_unless_signals


def is_first_hand(text: str) -> bool:
    """:func:`first_hand` for one message, with the shipped content."""
    return first_hand(distress_content.content(), set(match_signals(text)))


def is_code_word(text: str) -> bool:
    """True if ``text`` contains one of the deployment's discreet code words. Never raises."""
    try:
        if not isinstance(text, str) or not text.strip():
            return False
        regex = distress_content.content().code_words
        return regex is not None and any(regex.search(f) for f in forms(prepared(text)))
    except Exception:  # noqa: BLE001 - must never raise on user input
        log.debug("is_code_word failed", exc_info=True)
        return False


def is_bare_call_for_help(folded: str, active: list[Signal], max_other_letters: int | None) -> bool:
    """Only a call for help: CALL_FOR_HELP fired and at most ``max_other_letters`` letters are
    left once its matches are blanked ("help me please", "ကယ်ကြပါဦး 🙏", "救命啊"). Letters, not
    words: Thai, Khmer, Lao, Burmese and Chinese write a whole sentence without a space. Counted
    on the text before the guards blank anything, so a joke around "help" is not bare."""
    call = next((s for s in active if s.id == CALL_FOR_HELP), None)
    if max_other_letters is None or call is None:
        return False
    rest = _mask(folded, call.matcher)
    return sum(ch.isalpha() for ch in rest) <= max_other_letters


__all__ = ["CALL_FOR_HELP", "any_signal", "first_hand", "forms", "found_signals",
           "folded_for_patterns", "is_bare_call_for_help", "is_code_word", "is_first_hand",
           "match_signals", "prepared", "without_signals"]
