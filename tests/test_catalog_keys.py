"""Every message key the code uses is in the catalogs (and the catalogs carry no dead keys).

Keys are found the way `make extract-messages` finds them: Babel's extractor with the keywords
``t`` (2nd argument), ``say`` (3rd), ``button`` (2nd) and ``N_`` (keys chosen at run time).
"""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
KEYWORDS = {"t": (2,), "say": (3,), "button": (2,), "N_": None}
METHOD_MAP = [("**.py", "python")]


def _keys_in_code() -> set[str]:
    keys: set[str] = set()
    for folder in ("bot", "actions"):
        for _, _, message, _, _ in extract_from_dir(
            ROOT / folder, METHOD_MAP, keywords=KEYWORDS, comment_tags=()
        ):
            if isinstance(message, str):
                keys.add(message)
    return keys


def _english_keys() -> set[str]:
    with open(ROOT / "locales" / "en" / "LC_MESSAGES" / "messages.po", "rb") as handle:
        return {m.id for m in read_po(handle) if m.id}


def test_every_key_used_in_code_is_in_the_catalog() -> None:
    missing = _keys_in_code() - _english_keys()
    assert not missing, f"keys used in code but missing from the catalogs: {sorted(missing)}"


def test_the_catalog_has_no_dead_keys() -> None:
    dead = _english_keys() - _keys_in_code()
    assert not dead, f"keys in the catalog that no code uses: {sorted(dead)}"
