"""Which countries the two one-tap questions offer, and a country recognised from its name.

The choices live in the ``choices`` section of ``content/hotlines.yml``. A free-text answer
("Kenya", "เคนยา", "肯亞") is recognised through Babel's territory names (CLDR) in the assistant's
languages and in the content's ``name_locales``; only a whole message that is a country name
counts (matching is a dictionary look-up: linear in the text, no regular expressions).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from bot import LANGUAGES
from bot.content import ContentCache, ContentError, load_content_file, require

FILE = "hotlines.yml"
#: Babel territory codes that are not countries (regions, unions, pseudo-territories).
NOT_COUNTRIES = frozenset(
    {"AC", "CP", "DG", "EA", "EU", "EZ", "IC", "QO", "TA", "UN", "XA", "XB", "ZZ"}
)
#: Longest answer considered a bare country name.
MAX_NAME_CHARS = 60
_CODE_RE = re.compile(r"[A-Z]{2}")
_DROP = frozenset("()[].,!?;:'\"“”‘’-_/。，！？")


@dataclass(frozen=True)
class Choices:
    where: tuple[str, ...]
    passport: tuple[str, ...]
    #: Where the compounds are, each with the hotline id shown when the place is unknown.
    compounds: tuple[tuple[str, str], ...]
    name_locales: tuple[str, ...]
    aliases: tuple[tuple[str, str], ...]


def _codes(f: str, raw: dict[str, Any], field: str) -> tuple[str, ...]:
    values = require(f, "choices", raw, field, list)
    if not values or not all(isinstance(v, str) and _CODE_RE.fullmatch(v) for v in values):
        raise ContentError(f, "choices", field, "must be a list of ISO 3166-1 alpha-2 codes")
    return tuple(values)


def _compounds(f: str, raw: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    value = require(f, "choices", raw, "compounds", dict)
    if not value or not all(isinstance(k, str) and _CODE_RE.fullmatch(k) and isinstance(v, str)
                            for k, v in value.items()):
        raise ContentError(f, "choices", "compounds", "must map alpha-2 codes to hotline ids")
    return tuple(value.items())


def load_choices(directory: Path | None = None) -> Choices:
    """The ``choices`` section of hotlines.yml, validated."""
    data = load_content_file(FILE, directory)
    raw = require(FILE, None, data, "choices", dict)
    aliases = raw.get("aliases") or {}
    if not isinstance(aliases, dict) or not all(
        isinstance(k, str) and isinstance(v, str) and _CODE_RE.fullmatch(v)
        for k, v in aliases.items()
    ):
        raise ContentError(FILE, "choices", "aliases", "must map a name to an alpha-2 code")
    locales = raw.get("name_locales") or []
    if not isinstance(locales, list) or not all(isinstance(x, str) for x in locales):
        raise ContentError(FILE, "choices", "name_locales", "must be a list of Babel locales")
    return Choices(
        where=_codes(FILE, raw, "where"),
        passport=_codes(FILE, raw, "passport"),
        compounds=_compounds(FILE, raw),
        name_locales=tuple(locales),
        aliases=tuple(sorted(aliases.items())),
    )


_cache: ContentCache[Choices] = ContentCache(load_choices, (FILE,))


def choices() -> Choices:
    return _cache.get()


def normalise(text: str) -> str:
    """Case, width, accents, spaces and punctuation folded away ("Viet Nam" == "vietnam")."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    return "".join(
        c for c in folded if not unicodedata.combining(c) and not c.isspace() and c not in _DROP
    )


@cache
def _names(locales: tuple[str, ...], aliases: tuple[tuple[str, str], ...]) -> dict[str, str]:
    from babel import Locale, UnknownLocaleError

    from bot.i18n import babel_locale

    names: dict[str, str] = {}
    found = [babel_locale(language) for language in LANGUAGES]
    for name in locales:
        try:
            found.append(Locale.parse(name))
        except (UnknownLocaleError, ValueError):
            continue  # an unknown locale in content only loses its names
    for locale in found:
        for code, name in locale.territories.items():
            if len(code) != 2 or code in NOT_COUNTRIES:
                continue
            names.setdefault(normalise(name), code)
            if "(" in name:  # "Myanmar (Burma)": both names count
                names.setdefault(normalise(name.split("(")[0]), code)
                names.setdefault(normalise(name.split("(")[1]), code)
    for name, code in aliases:
        names[normalise(name)] = code
    names.pop("", None)
    return names


def country_named(text: str) -> str | None:
    """The country (alpha-2) when the whole message is a country's name, in any known language."""
    if not text or len(text) > MAX_NAME_CHARS or text.startswith("/"):
        return None
    current = choices()
    return _names(current.name_locales, current.aliases).get(normalise(text))


def country_code(value: object) -> str | None:
    """``value`` as an upper-case ISO alpha-2 code of a real country, else None."""
    from bot.i18n import babel_locale

    if not isinstance(value, str) or not _CODE_RE.fullmatch(value.strip().upper()):
        return None
    code = value.strip().upper()
    known = code in babel_locale("en").territories and code not in NOT_COUNTRIES
    return code if known else None
