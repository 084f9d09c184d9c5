"""Contacts as a frightened person on a phone reads them: what to do, the best one, the others.

The first line is short and says what to do ("Call now:"); the single best contact follows on its
own line, then the others. Each line starts with how to reach it (number, chat app, web address),
so a number or address is never missing or printed as "None". Unconfirmed lines are marked.
"""

from __future__ import annotations

from bot.engines.countries import choices
from bot.engines.hotlines import NUMBER_CHANNELS, Hotline
from bot.i18n import N_, country_name, t

MAX_HOTLINES = 4
#: How each channel is written (the key's text names the app and carries its symbol).
VIA_KEYS = {
    "phone": N_("hotline.via.phone"),
    "sms": N_("hotline.via.sms"),
    "whatsapp": N_("hotline.via.whatsapp"),
    "line": N_("hotline.via.line"),
    "messenger": N_("hotline.via.messenger"),
    "app": N_("hotline.via.app"),
    "web": N_("hotline.via.web"),
    "email": N_("hotline.via.email"),
}


def address(hotline: Hotline) -> str:
    """The address as typed or tapped: an e-mail without ``mailto:``, a web address in full."""
    url = hotline.url or ""
    return url.removeprefix("mailto:")


def contact_line(language: str, hotline: Hotline) -> str:
    """One contact: how to reach it first, then who answers and where."""
    # The schema guarantees a number for number channels and an address for the others.
    via = t(
        language, VIA_KEYS[hotline.channel], number=hotline.number or "", address=address(hotline)
    )
    key = N_("hotline.line") if hotline.confirmed else N_("hotline.line_unconfirmed")
    return t(
        language,
        key,
        contact=via,
        organisation=hotline.organisation,
        country=country_name(language, hotline.located_in or hotline.country),
    )


def render_hotlines(language: str, hotlines: list[Hotline]) -> str:
    """The contacts, one per line, best first (at most :data:`MAX_HOTLINES`)."""
    return "\n".join(contact_line(language, h) for h in hotlines[:MAX_HOTLINES])


def render_crisis_lines(language: str, hotlines: list[Hotline]) -> str:
    """The suicide-prevention lines under their heading; "" when there are none."""
    if not hotlines:
        return ""
    return "\n".join([t(language, "contacts.crisis"), render_hotlines(language, hotlines)])


def render_contacts(language: str, hotlines: list[Hotline], emergency: bool) -> str:
    """The whole answer: what to do, the best contact, the others; or the caseworker offer.

    With no contact at all the text points to the caseworker offer that follows it in the same
    reply, so no reply promises services and then has none.
    """
    if not hotlines:
        return t(language, "contacts.none")
    shown = hotlines[:MAX_HOTLINES]
    if len({h.country for h in shown}) > 1 and all(h.serves != "nationals" for h in shown):
        # Where the person is is unknown: one line per compound country, named by country.
        order = [code for code, _ in choices().compounds]
        shown.sort(key=lambda h: order.index(h.country) if h.country in order else len(order))
        return "\n".join([t(language, "contacts.by_country"),
                          *(contact_line(language, h) for h in shown)])
    best, others = hotlines[0], hotlines[1:MAX_HOTLINES]
    if best.channel not in NUMBER_CHANNELS:
        first = t(language, "contacts.write")
    else:
        first = t(language, N_("contacts.emergency") if emergency else N_("contacts.call"))
    lines = [first, contact_line(language, best)]
    if others:
        lines += ["", t(language, "contacts.others"), render_hotlines(language, others)]
    return "\n".join(lines)
