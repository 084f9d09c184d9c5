"""UI catalogs: every language is complete, well-formed and safe to show; ``bot.i18n.t`` falls back.

The English catalog is the reference: every other catalog must carry each of its keys with a
non-empty translation and exactly the same ``{placeholders}``, or a reply would lose the hotline
numbers or show a raw ``{name}`` to someone who may be in danger.
"""

from __future__ import annotations

import logging
import unicodedata
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

import bot.i18n
from bot import DEFAULT_LANGUAGE, LANGUAGES
from bot.i18n import placeholders, t

#: What each language calls itself, as shown in the language picker.
OWN_NAMES = {
    "en": "English",
    "th": "ไทย",
    "my": "မြန်မာ",
    "km": "ខ្មែរ",
    "lo": "ລາວ",
    "vi": "Tiếng Việt",
    "id": "Bahasa Indonesia",
    "tl": "Tagalog",
    "zh": "中文",
    "ne": "नेपाली",
}


def _po_path(language: str) -> Path:
    return bot.i18n.LOCALES_DIR / language / "LC_MESSAGES" / f"{bot.i18n.DOMAIN}.po"


def _read(language: str) -> Catalog:
    with open(_po_path(language), "rb") as handle:
        return read_po(handle)


def _messages(language: str) -> dict[str, str]:
    return {message.id: message.string for message in _read(language) if message.id}


def _symbols(text: str) -> set[str]:
    """Emojis and other pictographs (Unicode category So), e.g. ⚠ 🔎 ☎."""
    return {char for char in text if unicodedata.category(char) == "So"}


@pytest.fixture(scope="module")
def english() -> dict[str, str]:
    return _messages(DEFAULT_LANGUAGE)


def test_every_language_has_a_name() -> None:
    assert set(OWN_NAMES) == set(LANGUAGES)


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalog_exists_parses_and_is_not_fuzzy(language: str) -> None:
    assert _po_path(language).is_file()
    catalog = _read(language)
    assert not catalog.fuzzy, "a fuzzy header makes compilers skip the whole catalog"
    assert dict(catalog.mime_headers).get("Language") == language
    assert not [m.id for m in catalog if m.id and m.fuzzy]


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalog_is_complete_and_keeps_placeholders(
    language: str, english: dict[str, str]
) -> None:
    messages = _messages(language)
    assert set(english) - set(messages) == set(), "missing keys"
    assert set(messages) - set(english) == set(), "keys the English catalog no longer has"
    for key, source in english.items():
        text = messages[key]
        assert text.strip(), f"{language}: empty translation for {key}"
        assert placeholders(text) == placeholders(source), f"{language}: placeholders of {key}"
        assert text.count("\n") == source.count("\n"), f"{language}: line breaks of {key}"
        assert _symbols(text) == _symbols(source), f"{language}: emojis of {key}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_t_returns_the_language_and_fills_placeholders(language: str) -> None:
    assert t(language, "language.name") == OWN_NAMES[language]
    if language != DEFAULT_LANGUAGE:
        assert t(language, "menu.prompt") != t(DEFAULT_LANGUAGE, "menu.prompt")

    via = t(language, "hotline.via.phone", number="1300")
    line = t(language, "hotline.line", contact=via, organisation="IOM", country="Thailand")
    assert line.startswith("☎️ 1300"), "how to reach it comes first"
    assert "IOM" in line and "Thailand" in line
    assert "{" not in line


def test_unknown_language_uses_english() -> None:
    assert t("xx", "language.name") == "English"
    assert t(None, "language.name") == "English"


@pytest.fixture
def tmp_locales(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A locales dir where Thai lacks ``test.only_english``; the catalog cache is reset."""
    for language, messages in {
        "en": {"test.only_english": "Only in English {name}", "test.both": "Both"},
        "th": {"test.both": "ทั้งสองภาษา"},
    }.items():
        catalog = Catalog(locale=language, fuzzy=False)
        for key, text in messages.items():
            catalog.add(key, text)
        folder = tmp_path / language / "LC_MESSAGES"
        folder.mkdir(parents=True)
        with open(folder / "messages.po", "wb") as handle:
            write_po(handle, catalog)
    monkeypatch.setattr(bot.i18n, "LOCALES_DIR", tmp_path)
    bot.i18n.catalog.cache_clear()
    yield tmp_path
    bot.i18n.catalog.cache_clear()


def test_missing_key_falls_back_to_english_and_warns(
    tmp_locales: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="bot.i18n"):
        assert t("th", "test.both") == "ทั้งสองภาษา"
        assert not caplog.records
        assert t("th", "test.only_english", name="Ana") == "Only in English Ana"
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert "th" in warnings[0].getMessage() and "test.only_english" in warnings[0].getMessage()
    assert "Ana" not in caplog.text, "filled-in values may be private and must not be logged"


def test_english_key_needs_no_warning(
    tmp_locales: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="bot.i18n"):
        assert t("en", "test.only_english", name="x") == "Only in English x"
    assert not caplog.records


def test_burmese_catalog_is_unicode_not_zawgyi() -> None:
    from myanmartools import ZawgyiDetector

    detector = ZawgyiDetector()
    for key, text in _messages("my").items():
        # -inf means the text has no Burmese letters at all (e.g. "• {why}").
        assert detector.get_zawgyi_probability(text) < 0.05, key


#: Keys shown as button titles. Messenger cuts quick-reply titles at 20 characters, and two
#: buttons cut to the same prefix ("Yes, share my messa…") could no longer be told apart.
BUTTON_KEYS = (
    "menu.check_offer", "menu.migration", "menu.help", "menu.language", "menu.alerts",
    "menu.erase", "consent.yes_with_words", "consent.yes_without_words", "consent.no",
    "alerts.start_button", "alerts.stop_button",
)  # fmt: skip
MESSENGER_TITLE_LIMIT = 20


@pytest.mark.parametrize("language", LANGUAGES)
def test_button_titles_fit_messenger(language: str) -> None:
    too_long = {
        key: t(language, key)
        for key in BUTTON_KEYS
        if len(t(language, key)) > MESSENGER_TITLE_LIMIT
    }
    assert not too_long
