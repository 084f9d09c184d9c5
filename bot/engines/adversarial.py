"""Inputs an attacker would send to make matching slow, for the benchmark and the tests.

Backtracking engines fall over on long runs of letters after a pattern's literal start, on
runs of one script with no spaces, and on piles of combining marks; language detection and the
Zawgyi detector have their own costs per character. Every input is cut to the input cap, which
is what a channel lets through.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from bot.engines.patterns import MAX_INPUT_CHARS

#: A few letters of each script the assistant reads (Zawgyi shares the Myanmar block).
SCRIPT_LETTERS = {
    "latin": "abcdefghijklmnopqrstuvwxyz",
    "vietnamese": "ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệ",
    "thai": "กขคงจฉชซญดตถทนบปผพฟมยรลวศสหอฮ",
    "lao": "ກຂຄງຈສຊຍດຕຖທນບປຜຝພຟມຢຣລວຫອຮ",
    "myanmar": "ကခဂဃငစဆဇဈညဋဌဍဎဏတထဒဓနပဖဗဘမယရလဝသဟဠအ",
    "khmer": "កខគឃងចឆជឈញដឋឌឍណតថទធនបផពភមយរលវសហឡអ",
    "devanagari": "कखगघङचछजझञटठडढणतथदधनपफबभमयरलवशषसह",
    "han": "的一是不了人我在有他这中大来上个国到说们为子和你地出道也时年得就那要下以会可",
}
#: Zawgyi-encoded Burmese ("help me", typed in Zawgyi): the detector and converter run on it.
ZAWGYI_SAMPLE = "ကၽြန္ေတာ္ကို ကူညီပါ "
_LITERAL_START = re.compile(r"^[^\\\[\](){}|?*+.^$]{2,}")


def _fill(unit: str, cap: int) -> str:
    return (unit * (cap // max(1, len(unit)) + 1))[:cap]


def literal_starts(patterns: Iterable[str], limit: int = 400) -> list[str]:
    """The literal beginnings of content patterns (where a backtracking match would start)."""
    seen: dict[str, None] = {}
    for pattern in patterns:
        m = _LITERAL_START.match(pattern)
        if m:
            seen.setdefault(m.group(0).strip(), None)
        if len(seen) >= limit:
            break
    return [s for s in seen if s]


def inputs(prefixes: Iterable[str] = (), cap: int = MAX_INPUT_CHARS) -> Iterator[tuple[str, str]]:
    """``(name, text)`` pairs, each at most ``cap`` characters."""
    for script, letters in SCRIPT_LETTERS.items():
        yield f"run:{script}", _fill(letters, cap)
        yield f"one-letter:{script}", _fill(letters[0], cap)
        yield f"words:{script}", _fill(letters[:5] + " ", cap)
    mixed = "".join(letters[:3] for letters in SCRIPT_LETTERS.values())
    yield "mixed-scripts", _fill(mixed, cap)
    yield "mixed-scripts-spaced", _fill(" ".join(mixed), cap)
    yield "combining-marks", _fill("a" + "\u0301\u0323\u0302" * 20, cap)
    yield "thai-marks", _fill("ก" + "\u0e48\u0e34" * 30, cap)
    yield "zawgyi", _fill(ZAWGYI_SAMPLE, cap)
    yield "digits", _fill("1,000.", cap)
    yield "digits-spaced", _fill("12 ", cap)
    yield "punctuation", _fill("!?.,;:'\"-", cap)
    yield "emoji", _fill("😂🤣🙏", cap)
    yield "zero-width", _fill("a\u200b", cap)
    for prefix in prefixes:
        for script in ("latin", "thai", "devanagari"):
            body = SCRIPT_LETTERS[script]
            yield f"prefix+{script}:{prefix}", (prefix + _fill(body, cap))[:cap]
            yield f"prefix+spaced:{prefix}", (prefix + " " + _fill(body[:4] + " ", cap))[:cap]
