"""Contacts for people in distress, from ``content/hotlines.yml``.

``hotlines_for(country, nationality, emergency, language)`` returns contacts best first:

1. where the person is (``country``): when ``emergency`` the emergency numbers first, otherwise
   the anti-trafficking and NGO lines;
2. their nationality: the embassy of ``nationality`` located in ``country``, then the
   citizen-protection, migrant-worker and anti-trafficking lines that work from abroad;
3. (not emergency) the emergency numbers where they are;
4. lines for people of any nationality reached over the internet (chat apps, web forms, email);
5. the migrant-worker lines where they are.

Confirmed entries (status OK) come before unconfirmed ones (CHECK) across all groups, so an
unconfirmed line is never the only one shown when a confirmed one exists; lines answered in
neither the user's language nor English go last. A contact is listed once. NOT_FOUND entries and
scam-reporting lines (kind ``scams``: money lost to fraud, not people held in compounds) are never
returned; crisis lines only by :func:`crisis_lines`. A number not in international format (no
leading ``+``) is returned only to people in the country it is dialled in.

Nationality must be asked; :func:`likely_nationality` is only a weak default from the language.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.content import ContentCache, ContentError, load_content_file, require
from bot.languages import home_country

HOTLINES_FILE = "hotlines.yml"
KINDS = (
    "emergency",
    "anti_trafficking",
    "citizen_protection",
    "embassy",
    "migrant_workers",
    "ngo",
    "crisis",
    "scams",
)
STATUSES = ("OK", "CHECK", "NOT_FOUND")
SERVES = ("in_country", "any", "nationals")
#: Channels reached by dialling a number.
NUMBER_CHANNELS = ("phone", "sms", "whatsapp")
#: Channels reached over the internet at an address (``url``).
ADDRESS_CHANNELS = ("line", "messenger", "app", "web", "email")
CHANNELS = NUMBER_CHANNELS + ADDRESS_CHANNELS
#: Marks an entry whose original source could not be found again (then status must be CHECK).
NOT_REVERIFIED = "source not re-verified"
_NUMBER_RE = re.compile(r"\+?[0-9() \-]+")
_COUNTRY_RE = re.compile(r"[A-Z]{2}")
_ID_RE = re.compile(r"[a-z0-9][a-z0-9\-_]*")
_URL_RE = re.compile(r"(https://|mailto:)\S+")
_SOURCE_URL_RE = re.compile(r"https?://\S+")

#: Weak default nationality per language (a hint only: many Burmese speakers in Thailand are
#: Shan or Karen, Chinese is spoken across the region, English says nothing).


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
    located_in: str | None = None
    source_url: str | None = None
    source_date: dt.date | None = None

    @property
    def confirmed(self) -> bool:
        """True only for contacts printed in a recent original source (status OK)."""
        return self.status == "OK"

    @property
    def contact(self) -> str:
        """What the person dials or opens: the number, else the address (never "None")."""
        return self.number or self.url or ""

    @property
    def international(self) -> bool:
        """Reachable from anywhere: an address, or a number in +international format."""
        return self.number is None or self.number.startswith("+")

    @property
    def dialled_in(self) -> str:
        """The country where a domestic-format number can be dialled."""
        return self.located_in or self.country

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "country": self.country,
            "located_in": self.located_in,
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
            "source_url": self.source_url,
            "source_date": self.source_date.isoformat() if self.source_date else None,
            "verified_on": self.verified_on.isoformat(),
        }


def _date(file: str, entry: str, field: str, value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise ContentError(file, entry, field, "must be an ISO date (YYYY-MM-DD)")


def _country_field(f: str, entry: str, raw: dict[str, Any], field: str) -> str:
    value = require(f, entry, raw, field, str)
    if not _COUNTRY_RE.fullmatch(value):
        raise ContentError(f, entry, field, "must be an ISO 3166-1 alpha-2 code such as TH")
    return value


def _choice(f: str, entry: str, raw: dict[str, Any], field: str, allowed: tuple[str, ...]) -> str:
    value = require(f, entry, raw, field, str)
    if value not in allowed:
        raise ContentError(f, entry, field, f"must be one of {allowed}")
    return value


def _contact(f: str, entry: str, raw: dict[str, Any], status: str) -> tuple[str | None, str | None]:
    """Number and address: one of them is required to show the entry, the channel says which."""
    channel = raw.get("channel") or "phone"
    number, url = raw.get("number"), raw.get("url")
    if url is not None and (not isinstance(url, str) or not _URL_RE.fullmatch(url)):
        raise ContentError(f, entry, "url", "must be an https:// or mailto: address")
    if number is not None:
        if not isinstance(number, str):
            raise ContentError(f, entry, "number", 'must be a quoted string, e.g. "1300"')
        if not _NUMBER_RE.fullmatch(number) or sum(c.isdigit() for c in number) < 3:
            raise ContentError(
                f, entry, "number", "only digits, spaces, +, - and parentheses (3+ digits)"
            )
    if status == "NOT_FOUND":
        return number, url
    if channel in NUMBER_CHANNELS and number is None:
        raise ContentError(f, entry, "number", "is missing (only NOT_FOUND entries may omit it)")
    if channel in ADDRESS_CHANNELS and url is None:
        raise ContentError(f, entry, "url", f"is missing (channel {channel} needs an address)")
    return number, url


def _source(f: str, entry: str, raw: dict[str, Any], status: str) -> tuple[str, str | None]:
    """The original source; without a URL only NOT_FOUND or 'source not re-verified' (CHECK)."""
    source = require(f, entry, raw, "source", str)
    if not source.strip():
        raise ContentError(f, entry, "source", "must not be empty")
    if "REFERENCE.md" in source or "/work/" in source:
        raise ContentError(f, entry, "source", "cite the original source, not notes or files")
    source_url = raw.get("source_url")
    if source_url is not None:
        if not isinstance(source_url, str) or not _SOURCE_URL_RE.fullmatch(source_url):
            raise ContentError(f, entry, "source_url", "must be an http(s):// address")
    elif status == "OK" or (status == "CHECK" and NOT_REVERIFIED not in source):
        raise ContentError(
            f, entry, "source_url", f"is missing (else status CHECK and '{NOT_REVERIFIED}')"
        )
    return source, source_url


def _one(f: str, i: int, raw: Any, seen: set[str]) -> Hotline:
    entry = str(raw.get("id", f"#{i}")) if isinstance(raw, dict) else f"#{i}"
    hid = require(f, entry, raw, "id", str)
    if not _ID_RE.fullmatch(hid):
        raise ContentError(f, entry, "id", "use lower-case letters, digits and '-'")
    if hid in seen:
        raise ContentError(f, entry, "id", "duplicate id")
    country = _country_field(f, entry, raw, "country")
    status = _choice(f, entry, raw, "status", STATUSES)
    kind = _choice(f, entry, raw, "kind", KINDS)
    serves = _choice(f, entry, raw, "serves", SERVES)
    located_in = _country_field(f, entry, raw, "located_in") if raw.get("located_in") else None
    if (kind == "embassy") != (located_in is not None):
        raise ContentError(f, entry, "located_in", "is required for embassies, and only there")
    channel = raw.get("channel") or "phone"
    if channel not in CHANNELS:
        raise ContentError(f, entry, "channel", f"must be one of {CHANNELS}")
    number, url = _contact(f, entry, raw, status)
    languages = raw.get("languages") or []
    if not isinstance(languages, list) or not all(isinstance(x, str) for x in languages):
        raise ContentError(f, entry, "languages", "must be a list of language codes")
    source, source_url = _source(f, entry, raw, status)
    if "verified_on" not in raw or raw["verified_on"] is None:
        raise ContentError(f, entry, "verified_on", "is missing")
    source_date = raw.get("source_date")
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
        verified_on=_date(f, entry, "verified_on", raw["verified_on"]),
        status=status,
        url=url,
        channel=channel,
        located_in=located_in,
        source_url=source_url,
        source_date=_date(f, entry, "source_date", source_date) if source_date else None,
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


def reachable(line: Hotline, here: str | None) -> bool:
    """Shown at all: found, not a scam-report line, and dialable from where the person is."""
    if line.status == "NOT_FOUND" or line.kind == "scams" or not line.contact:
        return False
    return line.international or line.dialled_in == here


def _groups(here: str | None, home: str | None, emergency: bool) -> list[list[Hotline]]:
    """Candidate contacts per group, in the order of the module docstring."""
    lines = [h for h in all_hotlines() if reachable(h, here) and h.kind != "crisis"]

    def local(kinds: tuple[str, ...]) -> list[Hotline]:
        chosen = [h for h in lines if h.serves != "nationals" and h.country == here]
        return [h for k in kinds for h in chosen if h.kind == k]

    def national() -> list[Hotline]:
        mine = [h for h in lines if h.serves == "nationals" and h.country == home]
        embassies = [h for h in mine if h.kind == "embassy" and h.located_in == here]
        kinds = ("citizen_protection", "migrant_workers", "anti_trafficking")
        return embassies + [h for k in kinds for h in mine if h.kind == k]

    def compound_countries() -> list[Hotline]:
        """The line content names for each compound country, where it can be dialled there."""
        from bot.engines.countries import choices

        by_id = {h.id: h for h in all_hotlines()}
        named = [(code, by_id.get(hid)) for code, hid in choices().compounds]
        return [h for code, h in named if h is not None and reachable(h, code)]

    internet = [
        h
        for h in lines
        if h.serves == "any" and h.channel in ADDRESS_CHANNELS and here in (None, h.country)
    ]
    if here is None:
        return [national(), internet, compound_countries()]
    if emergency:
        return [
            local(("emergency", "anti_trafficking", "ngo")),
            national(),
            internet,
            local(("migrant_workers",)),
        ]
    return [
        local(("anti_trafficking", "ngo")),
        national(),
        local(("emergency",)),
        internet,
        local(("migrant_workers",)),
    ]


def _language_fit(line: Hotline, language: str | None) -> int:
    """0: answers in the user's language (or unknown), 1: in English, 2: only in other languages."""
    if not language or not line.languages or language in line.languages:
        return 0
    return 1 if "en" in line.languages else 2


def hotlines_for(
    country: str | None,
    nationality: str | None,
    emergency: bool,
    language: str | None = None,
) -> list[Hotline]:
    """Contacts to show, best first (see module docstring). NOT_FOUND entries never appear."""
    here, home = _code(country), _code(nationality)
    ranked = sorted(
        (
            # Language, then confirmed, then group; inside a group a number before an address.
            (_language_fit(line, language) == 2, not line.confirmed, group, not line.number, i),
            line,
        )
        for group, lines in enumerate(_groups(here, home, emergency))
        for i, line in enumerate(lines)
    )
    result: list[Hotline] = []
    contacts: set[str] = set()
    for _, line in ranked:
        if line.contact in contacts:
            continue
        contacts.add(line.contact)
        result.append(line)
    return result


def contacts_for(
    country: str | None,
    nationality: str | None,
    emergency: bool,
    language: str | None = None,
) -> list[Hotline]:
    """What a person in danger is shown: :func:`hotlines_for` their place, or, for a place with no
    lines of its own (Dubai, say), what a person whose place is unknown is shown — never nothing
    because the place was named."""
    lines = hotlines_for(country, nationality, emergency, language)
    if not lines and country is not None:
        lines = hotlines_for(None, nationality, emergency, language)
    return lines


def crisis_lines(country: str | None, language: str | None = None) -> list[Hotline]:
    """Suicide-prevention lines (kind ``crisis``) dialled in ``country``, confirmed first; none
    answering only in languages other than ``language`` and English."""
    here = _code(country)
    return sorted((h for h in all_hotlines() if h.kind == "crisis" and h.country == here
                   and reachable(h, here) and _language_fit(h, language) < 2),
                  key=lambda h: (not h.confirmed, _language_fit(h, language)))


def likely_nationality(language: str) -> str | None:
    """A weak guess of nationality from the chat language — a hint only; always ask."""
    return home_country(language)


def stale_hotlines(months: int, today: dt.date | None = None) -> list[Hotline]:
    """Shown entries (not NOT_FOUND) last verified more than ``months`` months ago."""
    today = today or dt.date.today()
    total = today.year * 12 + today.month - 1 - months
    year, month = divmod(total, 12)
    day = min(today.day, 28)
    cutoff = dt.date(year, month + 1, day)
    return [h for h in all_hotlines() if h.status != "NOT_FOUND" and h.verified_on < cutoff]


__all__ = ["Hotline", "hotlines_for", "contacts_for", "crisis_lines", "reachable",
           "likely_nationality", "stale_hotlines", "load_hotlines", "all_hotlines"]
