"""Hotline numbers for people in distress, from ``bot/content/hotlines.yml``.

``hotlines_for(country, nationality, emergency)`` returns, in this order:

1. when ``emergency``: the local emergency numbers of the country the person is in;
2. the anti-trafficking lines, then NGO lines, of that country;
3. the citizen-protection and migrant-worker lines for the person's nationality
   (embassy / foreign-ministry lines that work from abroad);
4. the migrant-worker lines of the country the person is in.

Inside each group confirmed numbers (status OK) come before unconfirmed ones (CHECK); a number is
listed once. Entries marked NOT_FOUND are never returned. Scam-reporting lines (kind ``scams``)
are for money lost to online fraud, not for people held in compounds, and are left out.

Nationality must be asked; :func:`likely_nationality` is only a weak default from the language.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.content import ContentCache, ContentError, load_content_file, require

HOTLINES_FILE = "hotlines.yml"
KINDS = ("emergency", "anti_trafficking", "citizen_protection", "migrant_workers", "ngo", "scams")
STATUSES = ("OK", "CHECK", "NOT_FOUND")
SERVES = ("in_country", "nationals")
CHANNELS = ("phone", "sms", "whatsapp", "app")
_NUMBER_RE = re.compile(r"\+?[0-9() \-]+")
_COUNTRY_RE = re.compile(r"[A-Z]{2}")
_ID_RE = re.compile(r"[a-z0-9][a-z0-9\-_]*")

#: Weak default nationality per language (a hint only: many Burmese speakers in Thailand are
#: Shan or Karen, Chinese is spoken across the region, English says nothing).
_NATIONALITY_HINT = {
    "th": "TH",
    "km": "KH",
    "lo": "LA",
    "vi": "VN",
    "id": "ID",
    "tl": "PH",
    "zh": "CN",
    "ne": "NP",
    "my": "MM",
}


@dataclass(frozen=True)
class Hotline:
    id: str
    country: str
    serves: str
    organisation: str
    number: str | None
    kind: str
    languages: tuple[str, ...]
    hours: str
    notes: str
    source: str
    verified_on: dt.date
    status: str
    url: str | None = None
    channel: str = "phone"

    @property
    def confirmed(self) -> bool:
        """True only for numbers printed in a dated source (status OK)."""
        return self.status == "OK"

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "country": self.country,
            "organisation": self.organisation,
            "number": self.number,
            "url": self.url,
            "channel": self.channel,
            "kind": self.kind,
            "languages": list(self.languages),
            "hours": self.hours,
            "notes": self.notes,
            "confirmed": self.confirmed,
            "status": self.status,
            "verified_on": self.verified_on.isoformat(),
        }


def _date(file: str, entry: str, value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise ContentError(file, entry, "verified_on", "must be an ISO date (YYYY-MM-DD)")


def _one(f: str, i: int, raw: Any, seen: set[str]) -> Hotline:
    entry = str(raw.get("id", f"#{i}")) if isinstance(raw, dict) else f"#{i}"
    hid = require(f, entry, raw, "id", str)
    if not _ID_RE.fullmatch(hid):
        raise ContentError(f, entry, "id", "use lower-case letters, digits and '-'")
    if hid in seen:
        raise ContentError(f, entry, "id", "duplicate id")
    country = require(f, entry, raw, "country", str)
    if not _COUNTRY_RE.fullmatch(country):
        raise ContentError(f, entry, "country", "must be an ISO 3166-1 alpha-2 code such as TH")
    status = require(f, entry, raw, "status", str)
    if status not in STATUSES:
        raise ContentError(f, entry, "status", f"must be one of {STATUSES}")
    kind = require(f, entry, raw, "kind", str)
    if kind not in KINDS:
        raise ContentError(f, entry, "kind", f"must be one of {KINDS}")
    serves = require(f, entry, raw, "serves", str)
    if serves not in SERVES:
        raise ContentError(f, entry, "serves", f"must be one of {SERVES}")
    channel = raw.get("channel") or "phone"
    if channel not in CHANNELS:
        raise ContentError(f, entry, "channel", f"must be one of {CHANNELS}")
    url = raw.get("url")
    if url is not None and (not isinstance(url, str) or not url.startswith("https://")):
        raise ContentError(f, entry, "url", "must be an https:// address")
    number = raw.get("number")
    if number is not None:
        if not isinstance(number, str):
            raise ContentError(f, entry, "number", 'must be a quoted string, e.g. "1300"')
        if not _NUMBER_RE.fullmatch(number) or sum(c.isdigit() for c in number) < 3:
            raise ContentError(
                f, entry, "number", "only digits, spaces, +, - and parentheses (3+ digits)"
            )
    elif status != "NOT_FOUND" and url is None:
        raise ContentError(f, entry, "number", "is missing (only NOT_FOUND entries may omit it)")
    languages = raw.get("languages") or []
    if not isinstance(languages, list) or not all(isinstance(x, str) for x in languages):
        raise ContentError(f, entry, "languages", "must be a list of language codes")
    source = require(f, entry, raw, "source", str)
    if not source.strip():
        raise ContentError(f, entry, "source", "must not be empty")
    if "verified_on" not in raw or raw["verified_on"] is None:
        raise ContentError(f, entry, "verified_on", "is missing")
    return Hotline(
        id=hid,
        country=country,
        serves=serves,
        organisation=require(f, entry, raw, "organisation", str),
        number=number,
        kind=kind,
        languages=tuple(languages),
        hours=str(raw.get("hours") or "unknown"),
        notes=str(raw.get("notes") or ""),
        source=source,
        verified_on=_date(f, entry, raw["verified_on"]),
        status=status,
        url=url,
        channel=channel,
    )


def load_hotlines(directory: Path | None = None) -> tuple[Hotline, ...]:
    """Load and validate hotlines.yml; raises :class:`ContentError` naming file/entry/field."""
    f = HOTLINES_FILE
    data = load_content_file(f, directory)
    if not isinstance(data, dict):
        raise ContentError(f, None, None, "must be a mapping")
    entries = require(f, None, data, "hotlines", list)
    seen: set[str] = set()
    out = []
    for i, raw in enumerate(entries):
        line = _one(f, i, raw, seen)
        seen.add(line.id)
        out.append(line)
    return tuple(out)


_cache: ContentCache[tuple[Hotline, ...]] = ContentCache(load_hotlines, (HOTLINES_FILE,))


def all_hotlines() -> tuple[Hotline, ...]:
    """Every entry of hotlines.yml, NOT_FOUND included (for audits; never show those)."""
    return _cache.get()


def _code(value: str | None) -> str | None:
    return value.strip().upper() if isinstance(value, str) and value.strip() else None


def hotlines_for(country: str | None, nationality: str | None, emergency: bool) -> list[Hotline]:
    """Numbers to show, best first (see module docstring). NOT_FOUND entries never appear."""
    here, home = _code(country), _code(nationality)
    usable = [h for h in all_hotlines() if h.status != "NOT_FOUND"]

    def pick(code: str | None, serves: str, kinds: tuple[str, ...]) -> list[Hotline]:
        if code is None:
            return []
        chosen = [h for h in usable if h.country == code and h.serves == serves and h.kind in kinds]
        # Stable sort: kind order as given, then confirmed before unconfirmed.
        return sorted(chosen, key=lambda h: (kinds.index(h.kind), not h.confirmed))

    groups: list[list[Hotline]] = []
    if emergency:
        groups.append(pick(here, "in_country", ("emergency",)))
    groups.append(pick(here, "in_country", ("anti_trafficking", "ngo")))
    home_kinds = ("citizen_protection", "migrant_workers", "anti_trafficking")
    groups.append(pick(home, "nationals", home_kinds))
    groups.append(pick(here, "in_country", ("migrant_workers",)))

    result: list[Hotline] = []
    numbers: set[str] = set()
    for group in groups:
        for line in group:
            key = line.number or line.url or line.id
            if key in numbers:
                continue
            numbers.add(key)
            result.append(line)
    return result


def likely_nationality(language: str) -> str | None:
    """A weak guess of nationality from the chat language — a hint only; always ask."""
    return _NATIONALITY_HINT.get((language or "").strip().lower())


def stale_hotlines(months: int, today: dt.date | None = None) -> list[Hotline]:
    """Shown entries (not NOT_FOUND) last verified more than ``months`` months ago."""
    today = today or dt.date.today()
    total = today.year * 12 + today.month - 1 - months
    year, month = divmod(total, 12)
    day = min(today.day, 28)
    cutoff = dt.date(year, month + 1, day)
    return [h for h in all_hotlines() if h.status != "NOT_FOUND" and h.verified_on < cutoff]


__all__ = [
    "Hotline",
    "hotlines_for",
    "likely_nationality",
    "stale_hotlines",
    "load_hotlines",
    "all_hotlines",
]
