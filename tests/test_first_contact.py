"""Issue #13: every recognised cry for help gets a contact the person can reach, in the first reply.

Over both labelled sets, for every message the triage engine recognises as distress, the distress
action's reply is built for every language of the set, for each one-tap country and for an unknown
country: it must carry a number or an address (phone, chat app, web, e-mail), or, only where no
contact fits at all, say so and offer the caseworker in the same reply. The first line never
promises services that do not follow.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest
from helpers import all_buttons, make_tracker, run_action

from actions.help import ActionDistress
from bot.engines.countries import choices
from bot.engines.triage import is_code_word, triage
from bot.i18n import t

ROOT = Path(__file__).resolve().parent.parent
SETS = (
    ROOT / "content" / "distress_examples.jsonl",
    Path("/work/shared/examples/distress.jsonl"),
)
#: A dialable number (3+ digits) or an address, at the start of a contact line.
CONTACT = re.compile(r"^(☎️|💬|📱|🌐|✉️) ?\S*(\+?\d[\d ()\-]{1,}\d|https://\S+|\S+@\S+)", re.M)


def triaged() -> Iterator[tuple[dict[str, str], object]]:
    """Every labelled row but the code words, with triage's decision, in file order."""
    for path in SETS:
        if not path.exists():
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line) if line.strip() else None
            if row and not is_code_word(row["text"]):
                yield row, triage(row["text"], row["lang"])


@cache
def answered() -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """The rows triage recognises as distress, and those it answers with a check-in.

    Triage of all ~24,000 rows takes about two minutes, so it runs on first use in the quality
    tests, never at import: every pytest run collects this module, the fast suite in each worker.
    """
    rows: list[dict[str, str]] = []
    check_ins: list[dict[str, str]] = []
    for row, result in triaged():
        if result.distress:
            rows.append(row)
        elif result.check_in:
            check_ins.append(row)
    return rows, check_ins


@cache
def first_recognised(count: int) -> list[dict[str, str]]:
    """The first `count` rows triage recognises as distress (the fast tests' sample)."""
    rows: list[dict[str, str]] = []
    for row, result in triaged():
        if result.distress:
            rows.append(row)
            if len(rows) == count:
                break
    return rows


PLACES = (*choices().where, None)
_TRIAGED: dict[tuple[str, str | None], object] = {}


@pytest.fixture(autouse=True)
def triage_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """The same messages are answered for every country: triage each once (the reply is what
    this module tests; triage itself is tested in test_triage.py)."""

    def cached(text: str, language: str | None = None) -> object:
        key = (text, language)
        if key not in _TRIAGED:
            _TRIAGED[key] = triage(text, language)
        return _TRIAGED[key]

    monkeypatch.setattr("actions.help.triage", cached)


def first_reply(text: str, language: str, country: str | None) -> list[dict]:
    slots = {"language": language, "country": country}
    messages, _ = run_action(ActionDistress(), make_tracker(text, intent="distress", slots=slots))
    return messages


@pytest.mark.quality
def test_the_labelled_sets_are_read() -> None:
    rows, _ = answered()
    assert len(rows) > 500
    assert {row["lang"] for row in rows} >= {"en", "th", "my", "km", "lo", "vi", "id", "tl", "zh"}


@pytest.mark.quality
@pytest.mark.parametrize("country", PLACES, ids=lambda c: c or "unknown")
def test_every_recognised_cry_gets_a_reachable_contact(country: str | None) -> None:
    missing = []
    for row in answered()[0]:
        messages = first_reply(row["text"], row["lang"], country)
        contacts = messages[0]["text"]
        if CONTACT.search(contacts):
            continue
        missing.append(f"{row['id']} {row['lang']}")
    assert not missing, f"no reachable contact in the first reply ({country}): {missing[:20]}"


@pytest.mark.quality
@pytest.mark.parametrize("country", PLACES, ids=lambda c: c or "unknown")
def test_every_check_in_gets_a_reachable_contact_first(country: str | None) -> None:
    """A check-in (a wish to die read as hyperbole) carries the contacts in its first message too,
    and a caseworker one tap away; with no contact at all the card answers."""
    check_ins = answered()[1]
    assert check_ins, "the labelled sets have wishes to die in jest"
    for row in check_ins:
        messages = first_reply(row["text"], row["lang"], country)
        assert CONTACT.search(messages[0]["text"]), f"{row['id']} ({country})"
        payloads = [b["payload"] for b in all_buttons(messages)]
        assert any(p.startswith("/affirm") for p in payloads), f"{row['id']} ({country})"


def test_the_caseworker_is_offered_in_every_first_reply() -> None:
    rows = first_recognised(200)
    assert len(rows) == 200  # the full sets' size and languages: test_the_labelled_sets_are_read
    assert len({row["lang"] for row in rows}) == 10
    for row in rows:
        for country in PLACES:
            payloads = [
                b["payload"] for b in all_buttons(first_reply(row["text"], row["lang"], country))
            ]
            assert any(p.startswith("/affirm") for p in payloads), row["id"]


def test_the_issue_examples_get_a_number() -> None:
    for text in (
        "please help me i am trapped in a company in myawaddy they took my passport",
        "I want to die, I can't take this place anymore",
        "sos",
    ):
        for country in choices().where:
            assert CONTACT.search(first_reply(text, "en", country)[0]["text"]), (text, country)
    reply = first_reply("please help me i am trapped in a company in myawaddy", "en", None)
    assert CONTACT.search(reply[0]["text"]), "Myawaddy: the place is known from the text"
    assert "None" not in reply[0]["text"]


def test_a_promise_of_services_is_always_followed_by_one() -> None:
    for language in ("en", "th", "my", "km", "lo", "vi", "id", "tl", "zh", "ne"):
        firsts = {t(language, k) for k in ("contacts.call", "contacts.write", "contacts.emergency",
                                           "contacts.by_country")}
        for country in PLACES:
            text = first_reply("help me they locked us in, please", language, country)[0]["text"]
            head, _, rest = text.partition("\n")
            if head in firsts:
                assert CONTACT.search(rest), (language, country, text)
            else:
                assert text == t(language, "contacts.none"), (language, country, text)
