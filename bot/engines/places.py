"""Place names in messages: known scam hubs (REFERENCE.md §3) and plain destination countries.

Public API (stable; the distress triage uses it to infer where a person is)::

    find_places(text: str) -> list[PlaceHit]

``text`` may be raw user input: it is normalised inside with :func:`.text.normalize`, and the
``start``/``end`` offsets of each hit index that *normalised* string (``normalize(text)``). If you
already hold the normalised text, :func:`find_places_normalized` skips the second normalisation
and returns the same offsets. Hits are sorted by position and never overlap (longest name wins).
Matching ignores case and Latin diacritics ("Thai Lan" = "Thái Lan"), and Latin names match only
as whole words. Data: ``content/places.yml`` (schema checked; errors name file/entry/field).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.content import ContentCache, ContentError, load_content_file, require
from bot.engines.literals import prepare_literal, trie_regex
from bot.engines.patterns import PatternSet, checked_item, fold, fold_offsets
from bot.engines.text import normalize

PLACES_FILE = "places.yml"


@dataclass(frozen=True)
class Place:
    id: str
    country: str
    region: str
    is_scam_hub: bool
    hub_weight: float
    #: The weight of a mention alone in a job offer (a town with ordinary jobs weighs less).
    offer_weight: float = 0.0


@dataclass(frozen=True)
class PlaceHit:
    """One place mention; ``start``/``end`` index the normalised text."""

    id: str
    country: str
    is_scam_hub: bool
    start: int
    end: int
    region: str = ""
    hub_weight: float = 0.0
    offer_weight: float = 0.0


@dataclass(frozen=True)
class PlaceIndex:
    places: dict[str, Place]
    names: dict[str, str]  # normalised, de-accented spelling -> place id
    trigger: re.Pattern[str] | None  # trie of all spellings, zero-width so overlaps are seen
    patterns: PatternSet  # extra regexes (keys: place ids)


def _spellings(name: str) -> set[str]:
    """The normalised spelling plus its variants without space / with hyphen ("kk park")."""
    base = fold(prepare_literal(name)).strip()
    base = " ".join(base.split())
    out = {base}
    if " " in base:
        out |= {base.replace(" ", ""), base.replace(" ", "-")}
    return {s for s in out if s}


def _is_word_char(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def load_places(directory: Path | None = None) -> PlaceIndex:
    """Load and validate places.yml into one compiled regex (one named group per place)."""
    f = PLACES_FILE
    data = load_content_file(f, directory)
    if not isinstance(data, dict):
        raise ContentError(f, None, None, "must be a mapping")
    entries = require(f, None, data, "places", list)
    places: dict[str, Place] = {}
    spellings: dict[str, str] = {}
    extra: list[tuple[str, Any]] = []
    for i, raw in enumerate(entries):
        entry = str(raw.get("id", f"#{i}")) if isinstance(raw, dict) else f"#{i}"
        pid = require(f, entry, raw, "id", str)
        if pid in places:
            raise ContentError(f, entry, "id", "duplicate id")
        country = require(f, entry, raw, "country", str)
        if not re.fullmatch(r"[A-Z]{2}", country):
            raise ContentError(f, entry, "country", "must be an ISO 3166 alpha-2 code such as KH")
        hub = require(f, entry, raw, "is_scam_hub", bool)
        weight = raw.get("hub_weight", 0.0)
        if not isinstance(weight, (int, float)) or not 0 <= weight <= 1:
            raise ContentError(f, entry, "hub_weight", "must be a number between 0 and 1")
        if hub and not weight:
            raise ContentError(f, entry, "hub_weight", "a scam hub needs a hub_weight above 0")
        offer_weight = raw.get("offer_weight", weight)
        if not isinstance(offer_weight, (int, float)) or not 0 <= offer_weight <= 1:
            raise ContentError(f, entry, "offer_weight", "must be a number between 0 and 1")
        region = raw.get("region") or ""
        if not isinstance(region, str):
            raise ContentError(f, entry, "region", "must be a string")
        names = require(f, entry, raw, "names", list)
        if not names or not all(isinstance(n, str) and n.strip() for n in names):
            raise ContentError(f, entry, "names", "must be a non-empty list of strings")
        places[pid] = Place(pid, country, region, hub, float(weight), float(offer_weight))
        for name in names:
            for spelling in _spellings(name):
                spellings.setdefault(spelling, pid)
        patterns = raw.get("patterns") or []
        if not isinstance(patterns, list):
            raise ContentError(f, entry, "patterns", "must be a list of regexes")
        for j, pattern in enumerate(patterns):
            extra.append((pid, checked_item(f, entry, f"patterns[{j}]", pattern)))
    trigger = re.compile("(?=(" + trie_regex(list(spellings)) + "))") if spellings else None
    return PlaceIndex(places, spellings, trigger, PatternSet(extra))


_cache: ContentCache[PlaceIndex] = ContentCache(load_places, (PLACES_FILE,))


def reset_cache() -> None:
    """Forget the cached content (tests, or after ``bot.content.CONTENT_DIR`` changed)."""
    _cache.reset()


def place_index() -> PlaceIndex:
    """Current place data (the last good version if a reload failed)."""
    return _cache.get()


def find_places_normalized(normalized: str) -> list[PlaceHit]:
    """Like :func:`find_places` for text that is already ``normalize``-d."""
    index = place_index()
    text = fold(normalized)
    raw: list[tuple[int, int, str]] = []
    if index.trigger is not None:
        for m in index.trigger.finditer(text):
            start, word = m.start(), m.group(1)
            # the trie gives the longest spelling here; fall back to shorter ones on a bad edge
            for k in range(len(word), 0, -1):
                pid = index.names.get(word[:k])
                if pid is None:
                    continue
                end = start + k
                if _is_word_char(word[0]) and start > 0 and _is_word_char(text[start - 1]):
                    break
                if _is_word_char(word[k - 1]) and end < len(text) and _is_word_char(text[end]):
                    continue
                raw.append((start, end, pid))
                break
    for pid, (start, end) in index.patterns.first_matches(text).items():
        raw.append((start, end, pid))
    if raw and len(text) != len(normalized):  # apostrophes or marks were dropped by fold
        offsets = fold_offsets(normalized)
        raw = [(offsets[start], offsets[end - 1] + 1, pid) for start, end, pid in raw]
    raw.sort(key=lambda r: (r[0], -(r[1] - r[0])))
    hits: list[PlaceHit] = []
    last_end = -1
    for start, end, pid in raw:
        if start < last_end:
            continue  # overlaps a longer or earlier name
        place = index.places[pid]
        hits.append(PlaceHit(place.id, place.country, place.is_scam_hub, start, end,
                             place.region, place.hub_weight, place.offer_weight))
        last_end = end
    return hits


def find_places(text: str) -> list[PlaceHit]:
    """Places named in ``text`` (raw or normalised); offsets index ``normalize(text)``."""
    try:
        return find_places_normalized(normalize(text))
    except ContentError:
        raise
    except Exception:  # never let odd input break a caller
        return []
