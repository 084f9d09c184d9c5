"""The one list of content files: which module loads each, and which extra checks it gets.

Adding a content type: one :class:`ContentFile` row here, a loader in the engine (taking
``directory``, raising :class:`bot.content.ContentError` that names file, entry and field) and a
module-level :class:`bot.content.ContentCache` built on it. Publishing validates with the loader
and the row's ``checks``; every process loads the row's module before it swaps in a version.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ContentFile:
    """A content file: ``module.loader(directory=...)`` reads it; ``checks`` are extra checks."""

    name: str
    module: str
    loader: str
    #: Names of functions in :mod:`bot.content.checks` run on the parsed file when publishing.
    checks: tuple[str, ...] = ()
    #: Optional content (its module may be absent; a version may not have the file).
    optional: bool = False


FILES: tuple[ContentFile, ...] = (
    ContentFile("indicators.yml", "bot.engines.redflags", "load_rules"),
    ContentFile("salaries.yml", "bot.engines.salaries", "load_salary_sense"),
    ContentFile("places.yml", "bot.engines.places", "load_places"),
    ContentFile("faq.yml", "bot.engines.faq", "load_faq"),
    ContentFile("hotlines.yml", "bot.engines.hotlines", "load_hotlines", ("check_hotlines",)),
    ContentFile(
        "distress.yml", "bot.engines.distress_content", "load_distress", ("check_code_words",)
    ),
    ContentFile("campaigns.yml", "bot.campaigns.subscriptions", "load_campaigns", optional=True),
)
#: Rows by file name.
BY_NAME: dict[str, ContentFile] = {row.name: row for row in FILES}


def required_modules() -> tuple[str, ...]:
    """Modules whose content must load before a version is activated in a process."""
    return tuple(dict.fromkeys(row.module for row in FILES if not row.optional))


def optional_modules() -> tuple[str, ...]:
    """Modules of optional content (skipped when not installed)."""
    return tuple(dict.fromkeys(row.module for row in FILES if row.optional))
