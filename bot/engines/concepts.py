"""Words to language-independent concepts: what a message is about, the same in ten languages.

The recogniser's character n-grams learn each language from its own examples: a hint of suicide
learned in English ("how many panadol is enough") teaches nothing about the same idea in Khmer
or Lao. A concept lexicon (``content/concepts/<lang>.yml``: per language, the everyday words
for MEDICINE, HOW_MANY, ENOUGH, GOODBYE, FOREVER, LAUGH...) maps the words of any language to
the same names, so a model fed the concepts a message names, and the pairs of them, learns an
idea once from every language's examples (session 25, README).

Decisions and risks:

* Every table is matched against every message, whatever its detected language: short,
  romanised or code-switched messages are where language detection is weakest, and they mix.
* A form in Latin letters matches as a whole word (``pill``), or as a word prefix when written
  with a trailing ``*`` (``poison*``); forms in other scripts match anywhere in the text (Thai,
  Lao, Khmer, Burmese and Chinese do not space words), so a short form also fires inside longer
  words: the model weighs each concept by what it learned, a noisy one weighs little.
* Forms are literals turned into tries by code (:func:`.literals.trie_regex`), never editor
  regex syntax: matching stays linear in the text on Python's ``re``.
* The features are the concepts found and their pairs, at most :data:`MAX_CONCEPTS` concepts a
  message (the first found), so a crafted message cannot blow up the pairs.

No Rasa, HTTP or Redis import; the tables come in as arguments.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from itertools import combinations

from bot.engines.literals import trie_regex
from bot.engines.text import normalize

#: At most this many distinct concepts of a message feed the pairs (66 pairs at 12).
MAX_CONCEPTS = 12
#: Bumped when matching or features change, so a model cached with the old ones is not loaded
#: (part of :meth:`ConceptLexicon.fingerprint`). 2: overlapping matches, curly apostrophes.
VERSION = 2
#: Phone keyboards type a curly apostrophe ("can’t"); the tables use the straight one.
_APOSTROPHES = str.maketrans("\u2019\u2018\u02bc", "'''")
#: A form of letters, digits, spaces, apostrophes and hyphens of the Latin script is a word.
_LATIN = re.compile(r"[0-9a-z\u00c0-\u024f\u1e00-\u1eff' \-.]+")

Tables = Mapping[str, Mapping[str, Sequence[str]]]


class ConceptLexicon:
    """The concept tables of every language, compiled; callable as a vectorizer's analyzer.

    ``tables``: language -> concept name -> forms. Pickles as its tables (recompiled on load),
    so a fitted model cached on disk carries the lexicon it learned with.
    """

    def __init__(self, tables: Tables) -> None:
        self.tables = {lang: {name: list(forms) for name, forms in concepts.items()}
                       for lang, concepts in sorted(tables.items())}
        self._compile()

    def _compile(self) -> None:
        concepts_of: dict[str, set[str]] = {}
        words, prefixes, anywhere = [], [], []
        for concepts in self.tables.values():
            for name, forms in concepts.items():
                for form in forms:
                    prefix = form.endswith("*")
                    text = normalize(form.rstrip("*")).translate(_APOSTROPHES)
                    if not text:
                        continue
                    concepts_of.setdefault(text, set()).add(name)
                    if _LATIN.fullmatch(text):
                        (prefixes if prefix else words).append(text)
                    else:
                        anywhere.append(text)
        self._concepts_of = {form: sorted(names) for form, names in concepts_of.items()}
        # Latin words start and (unless a prefix) end at a word boundary; the rest anywhere. The
        # lookahead makes the matches overlap: "how many pills" (HOW_MANY) keeps "pills" (MEDICINE).
        parts = []
        if words:
            parts.append(r"(?<!\w)(?P<w>" + trie_regex(words) + r")(?!\w)")
        if prefixes:
            parts.append(r"(?<!\w)(?P<p>" + trie_regex(prefixes) + ")")
        if anywhere:
            parts.append("(?P<a>" + trie_regex(anywhere) + ")")
        # At one place a whole word is tried first, then a prefix, then a form of another script:
        # the longest form of the first that holds. Each place costs at most the longest form.
        self._regex = re.compile("(?=" + "|".join(parts) + ")") if parts else None

    def __getstate__(self) -> dict:
        return {"tables": self.tables}

    def __setstate__(self, state: dict) -> None:
        self.tables = state["tables"]
        self._compile()

    def found(self, prepared: str) -> list[str]:
        """The concepts a normalised message names, in the order first found, without repeats."""
        seen: dict[str, None] = {}
        if self._regex is None:
            return []
        for match in self._regex.finditer(prepared.translate(_APOSTROPHES)):
            form = match.group(match.lastgroup) if match.lastgroup else ""
            for name in self._concepts_of.get(form, ()):
                seen.setdefault(name, None)
        return list(seen)

    def __call__(self, prepared: str) -> list[str]:
        """The features of a normalised message: its concepts and their pairs (sorted names)."""
        names = sorted(self.found(prepared)[:MAX_CONCEPTS])
        return names + [f"{a}+{b}" for a, b in combinations(names, 2)]

    def fingerprint(self) -> str:
        """A short hash of the tables (part of a fitted model's cache key)."""
        text = json.dumps([VERSION, MAX_CONCEPTS, self.tables], ensure_ascii=False, sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()[:16]


__all__ = ["MAX_CONCEPTS", "VERSION", "ConceptLexicon", "Tables"]
