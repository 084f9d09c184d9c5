"""Localized UI strings from the gettext catalogs in ``locales/<lang>/LC_MESSAGES/messages.po``.

Message ids are stable keys (``menu.check_offer``), never English sentences: the English text
lives in the ``en`` catalog like every other language, so no user-facing sentence is in code.
Catalogs are compiled with Babel (``make translations``); when a ``.mo`` is missing or older than
its ``.po`` the ``.po`` is compiled in memory, so a fresh checkout works before any make target.

A key missing in a language falls back to English and is logged as a missing translation.
"""

from __future__ import annotations

import gettext
import io
import logging
import string
from functools import cache
from pathlib import Path

from bot import DEFAULT_LANGUAGE, LANGUAGES, settings

log = logging.getLogger(__name__)

LOCALES_DIR = settings.path("BOT_LOCALES_DIR", Path(__file__).parent.parent / "locales")
DOMAIN = "messages"


def _compile_po(po_path: Path) -> gettext.GNUTranslations:
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with open(po_path, "rb") as handle:
        catalog = read_po(handle)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


@cache
def catalog(language: str) -> gettext.NullTranslations:
    """The compiled catalog of ``language`` (an empty one if the language has none)."""
    folder = LOCALES_DIR / language / "LC_MESSAGES"
    po_path, mo_path = folder / f"{DOMAIN}.po", folder / f"{DOMAIN}.mo"
    if mo_path.exists() and (
        not po_path.exists() or mo_path.stat().st_mtime >= po_path.stat().st_mtime
    ):
        with open(mo_path, "rb") as handle:
            return gettext.GNUTranslations(handle)
    if po_path.exists():
        return _compile_po(po_path)
    return gettext.NullTranslations()


class _Missing(dict):
    """Leaves unknown ``{placeholders}`` visible instead of raising mid-conversation."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _lookup(language: str, key: str) -> str | None:
    text = catalog(language).gettext(key)
    return text if text and text != key else None


def t(language: str | None, key: str, /, **values: object) -> str:
    """Text of ``key`` in ``language`` with ``{placeholders}`` filled in from ``values``."""
    lang = language if language in LANGUAGES else DEFAULT_LANGUAGE
    text = _lookup(lang, key)
    if text is None:
        if lang != DEFAULT_LANGUAGE:
            log.warning("missing translation: language=%s key=%s", lang, key)
        text = _lookup(DEFAULT_LANGUAGE, key)
    if text is None:
        log.error("unknown message key: %s", key)
        return key
    return string.Formatter().vformat(text, (), _Missing(values)) if values else text


def N_(key: str) -> str:  # noqa: N802 - the gettext convention
    """Marks a key chosen at run time so that Babel's extraction still finds it."""
    return key


def placeholders(text: str) -> set[str]:
    """Names of the ``{placeholders}`` in ``text``."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def babel_locale(language: str):  # noqa: ANN202 - babel.Locale, imported lazily
    from babel import Locale

    # Babel knows Tagalog by its standard form, Filipino.
    return Locale.parse({"tl": "fil"}.get(language, language))


@cache
def country_name(language: str | None, country: str) -> str:
    """The name of ``country`` (ISO 3166 alpha-2) in ``language``, from Babel's CLDR data."""
    lang = language if language in LANGUAGES else DEFAULT_LANGUAGE
    return babel_locale(lang).territories.get(country.upper(), country.upper())


@cache
def english_language_name(language: str) -> str:
    """``Khmer`` for ``km``: lets people type the English name of their language."""
    return babel_locale(language).get_language_name("en") or language


def language_name(language: str) -> str:
    """The language's own name for itself (``ខ្មែរ`` for Khmer), for the language picker."""
    return t(language, "language.name")
