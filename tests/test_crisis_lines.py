"""Suicide-prevention lines (hotlines of kind ``crisis``, session 15).

A wish to die gets a crisis line where one is sourced: first in a check-in (a wish the models
read as hyperbole), below the usual contacts in the distress card. A line is shown only where the
person is known to be (a short code is dialled only there), never when it answers only in other
languages, and never among the ordinary contacts.
"""

from __future__ import annotations

import pytest

from actions import help as help_actions
from actions.help import ActionDistress
from bot.engines.countries import choices
from bot.engines.hotlines import all_hotlines, contacts_for, crisis_lines
from bot.engines.triage import Triage
from bot.i18n import t
from tests.helpers import make_tracker, run_action

CHECK_IN = Triage("th", False, "none", ["SUICIDAL"], confidence=0.05, check_in=True)
WISH = Triage("th", True, "emergency", ["SUICIDAL"], confidence=0.9)
BEATEN = Triage("th", True, "emergency", ["VIOLENCE"], confidence=0.9)


def test_every_crisis_line_is_sourced_or_recorded_as_not_found() -> None:
    lines = [h for h in all_hotlines() if h.kind == "crisis"]
    assert {h.country for h in lines} >= {"TH", "MM", "KH", "LA", "VN", "PH", "ID", "CN", "NP"}
    for h in lines:
        assert h.status == "NOT_FOUND" or (h.number and h.source_url), h.id


def test_a_crisis_line_is_offered_where_it_can_be_dialled_and_understood() -> None:
    assert [h.id for h in crisis_lines("TH", "th")] == ["th-crisis-1323"]
    assert crisis_lines("TH", "zh") == [], "a Thai-only line is no help to a Chinese speaker"
    assert crisis_lines("MM", "my") == [], "nothing sourced for Myanmar: nothing shown"
    assert crisis_lines(None, "en") == []


@pytest.mark.parametrize("country", [*choices().where, None])
def test_crisis_lines_never_crowd_the_ordinary_contacts(country: str | None) -> None:
    for emergency in (True, False):
        assert all(h.kind != "crisis" for h in contacts_for(country, "TH", emergency, "th"))


def _reply(result: Triage, monkeypatch: pytest.MonkeyPatch, **slots: str) -> list[str]:
    monkeypatch.setattr(help_actions, "triage", lambda text, language=None: result)
    tracker = make_tracker("…", intent="distress", slots={"language": "th", **slots})
    return [m["text"] for m in run_action(ActionDistress(), tracker)[0]]


def test_a_check_in_gives_the_crisis_line_first(monkeypatch: pytest.MonkeyPatch) -> None:
    first = _reply(CHECK_IN, monkeypatch, country="TH")[0]
    heading = t("th", "contacts.crisis")
    assert first.startswith(t("th", "check_in.ask")) and heading in first
    assert first.index(heading) < first.index("1323") < first.index("191")


def test_where_the_place_is_unknown_no_short_code_is_shown(monkeypatch: pytest.MonkeyPatch) -> None:
    """1323 is dialled only in Thailand; a Thai speaker held in Cambodia could not use it."""
    for result in (CHECK_IN, WISH):
        first = _reply(result, monkeypatch)[0]
        assert t("th", "contacts.crisis") not in first and "1323" not in first


def test_a_card_for_a_wish_to_die_adds_the_crisis_line_below_the_contacts(
        monkeypatch: pytest.MonkeyPatch) -> None:
    first = _reply(WISH, monkeypatch, country="TH")[0]
    assert first.index("191") < first.index(t("th", "contacts.crisis")) < first.index("1323")
    assert t("th", "contacts.crisis") not in _reply(BEATEN, monkeypatch, country="TH")[0]
