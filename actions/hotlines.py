"""Hotline lines as the user reads them: organisation, number, country; unconfirmed ones marked."""

from __future__ import annotations

from bot.hotlines import Hotline
from bot.i18n import N_, country_name, t

MAX_HOTLINES = 4


def render_hotlines(language: str, hotlines: list[Hotline]) -> str:
    if not hotlines:
        return t(language, "hotline.none")
    lines = []
    for hotline in hotlines[:MAX_HOTLINES]:
        key = N_("hotline.line") if hotline.confirmed else N_("hotline.line_unconfirmed")
        lines.append(
            t(
                language,
                key,
                organisation=hotline.organisation,
                number=hotline.number,
                country=country_name(language, hotline.country),
            )
        )
    return "\n".join(lines)
