"""Safe-migration answers: topics, their answers in ten languages, and matching free questions.

Content is in ``content/faq.yml``: each topic has an id, a title and an answer per language,
keyword patterns per language (regular expressions over normalised text) and its source.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from bot import DEFAULT_LANGUAGE, LANGUAGES
from bot.content import ContentCache, ContentError, load_content_file, require
from bot.engines.patterns import Rule, checked_item, compile_item, prepare_text

FAQ_FILE = "faq.yml"


@dataclass(frozen=True)
class Topic:
    id: str
    title: dict[str, str]
    answer: dict[str, str]
    source: str
    patterns: dict[str, list[Rule]] = field(default_factory=dict)
    #: A general topic (the checklist) loses ties: a question naming a specific subject ("what
    #: should I check in the contract?") gets that subject.
    general: bool = False

    def text(self, kind: str, language: str) -> str:
        values = self.title if kind == "title" else self.answer
        return values.get(language) or values[DEFAULT_LANGUAGE]


def _localized(entry: str, data: dict, name: str) -> dict[str, str]:
    values = require(FAQ_FILE, entry, data, name, dict)
    if DEFAULT_LANGUAGE not in values:
        raise ContentError(FAQ_FILE, entry, f"{name}.{DEFAULT_LANGUAGE}", "is missing")
    for language, text in values.items():
        if language not in LANGUAGES:
            raise ContentError(FAQ_FILE, entry, f"{name}.{language}", "unknown language")
        if not isinstance(text, str) or not text.strip():
            raise ContentError(FAQ_FILE, entry, f"{name}.{language}", "must be non-empty text")
    return values


def _load(directory: Path | None = None) -> list[Topic]:
    """Load and validate faq.yml from ``directory`` (default: the current content)."""
    data = load_content_file(FAQ_FILE, directory)
    topics = require(FAQ_FILE, None, data, "topics", list)
    seen: set[str] = set()
    result = []
    for index, raw in enumerate(topics):
        entry = raw.get("id") if isinstance(raw, dict) else None
        entry_name = str(entry or f"#{index + 1}")
        topic_id = require(FAQ_FILE, entry_name, raw, "id", str)
        if topic_id in seen:
            raise ContentError(FAQ_FILE, entry_name, "id", "duplicate id")
        seen.add(topic_id)
        patterns: dict[str, list[Rule]] = {}
        for language, items in require(FAQ_FILE, topic_id, raw, "keywords", dict).items():
            where = f"keywords.{language}"
            if language not in LANGUAGES:
                raise ContentError(FAQ_FILE, topic_id, where, "unknown language")
            if not isinstance(items, list):
                raise ContentError(FAQ_FILE, topic_id, where, "must be a list of patterns")
            patterns[language] = [
                compile_item(checked_item(FAQ_FILE, topic_id, f"{where}[{i}]", item))
                for i, item in enumerate(items)
            ]
        general = raw.get("general", False)
        if not isinstance(general, bool):
            raise ContentError(FAQ_FILE, topic_id, "general", "must be true or false")
        result.append(
            Topic(
                id=topic_id,
                title=_localized(topic_id, raw, "title"),
                answer=_localized(topic_id, raw, "answer"),
                source=require(FAQ_FILE, topic_id, raw, "source", str),
                patterns=patterns,
                general=general,
            )
        )
    return result


load_faq = _load  # public name, like the other engines' loaders (content.versions validates it)
_CACHE: ContentCache[list[Topic]] = ContentCache(_load, (FAQ_FILE,))


def topics() -> list[Topic]:
    return _CACHE.get()


def topic(topic_id: str) -> Topic | None:
    return next((item for item in topics() if item.id == topic_id), None)


def match_topic(text: str, language: str) -> Topic | None:
    """The topic a free question is about: most keyword hits in its language or English.

    Ties go to the earlier topic in faq.yml, except that a ``general`` topic loses ties.
    """
    folded = prepare_text(text)
    best, best_hits = None, 0
    for item in topics():
        hits = sum(
            1
            for lang in {language, DEFAULT_LANGUAGE}
            for pattern in item.patterns.get(lang, [])
            if pattern.search(folded)
        )
        if hits > best_hits or (hits == best_hits and best is not None and best.general):
            best, best_hits = item, hits
    return best
