"""Adding a language: it must be in every table, content file and catalog (CONTRIBUTING.md).

Each test names what is missing; adding a row to :mod:`bot.languages` makes them fail until the
language has its catalog, its script or cue words, its home country in ``indicators.yml``, its
texts in every localized content file, its OCR pack and its distress examples.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from bot import DEFAULT_LANGUAGE, LANGUAGES, languages
from bot.content import CONTENT_DIR
from bot.engines import language as detection
from bot.engines.hotlines import likely_nationality
from bot.engines.ocr import LANGUAGE_PACKS
from bot.i18n import LOCALES_DIR

#: Content files written per language: every language must appear in each.
LOCALIZED_CONTENT = ("campaigns.yml", "distress.yml", "faq.yml", "indicators.yml")


def test_the_table_is_the_list_of_languages() -> None:
    assert LANGUAGES == languages.CODES and DEFAULT_LANGUAGE in LANGUAGES
    assert len(set(LANGUAGES)) == len(LANGUAGES)


def test_every_language_has_a_catalog_and_every_catalog_a_language() -> None:
    missing = [c for c in LANGUAGES if not languages.catalog(c, LOCALES_DIR).is_file()]
    assert not missing, f"no locales/<code>/LC_MESSAGES/messages.po for {missing}"
    folders = {p.parent.parent.name for p in LOCALES_DIR.glob("*/LC_MESSAGES/messages.po")}
    assert folders == set(LANGUAGES), f"catalogs without a table row: {folders - set(LANGUAGES)}"


def test_every_language_can_be_detected() -> None:
    for row in languages.TABLE:
        assert row.script or row.cue_words, f"{row.code}: needs its script or cue words"
        assert detection.detect_language(_sample(row.code)).code == row.code, row.code


def _sample(code: str) -> str:
    """A sentence in ``code``'s script from the FAQ (every language has its answers)."""
    data = yaml.safe_load((CONTENT_DIR / "faq.yml").read_text(encoding="utf-8"))
    return data["topics"][0]["answer"][code]


def test_every_language_has_a_home_country_where_the_content_says_so() -> None:
    data = yaml.safe_load((CONTENT_DIR / "indicators.yml").read_text(encoding="utf-8"))
    table = {row.code: row.home for row in languages.TABLE if row.home}
    home = data["home_countries"]
    assert {code: home.get(code) for code in table} == table, (
        "indicators.yml home_countries != bot/languages.py"
    )
    # Beyond the table only a written variant of one of its languages (zh-hant: Taiwan's wages)
    assert all(code.split("-")[0] in table for code in set(home) - set(table)), home
    assert all(likely_nationality(code) == home for code, home in table.items())


def _keys(node: Any, found: set[str]) -> set[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            found.add(str(key))
            _keys(value, found)
    elif isinstance(node, list):
        for value in node:
            _keys(value, found)
    return found


def test_every_localized_content_file_has_every_language() -> None:
    for name in LOCALIZED_CONTENT:
        data = yaml.safe_load((CONTENT_DIR / name).read_text(encoding="utf-8"))
        missing = [code for code in LANGUAGES if code not in _keys(data, set())]
        assert not missing, f"{name} has nothing in {missing}"


def test_every_language_has_distress_examples_and_an_ocr_pack() -> None:
    path = Path(CONTENT_DIR) / "distress_examples.jsonl"
    with path.open(encoding="utf-8") as handle:
        seen = {json.loads(line)["lang"] for line in handle if line.strip()}
    assert set(LANGUAGES) <= seen, f"no distress examples in {set(LANGUAGES) - seen}"
    assert all(LANGUAGE_PACKS[code] for code in LANGUAGES)
