"""The severity stage (issue #14, session 19): the patterns named only about half of the labelled
emergencies (beaten, sold, ransom, self-harm) as emergencies; the rest got the urgent card. A
learned stage (labelled emergencies against other cries and close calls) now makes a distress no
emergency signal called an emergency when it scores it at or above ``recogniser.emergency_above``.
It never raises a message to distress, and never restores an emergency a film/joke veto outvoted.
Cross-validated by batch (README "Session 19", content/distress.yml)."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from bot.engines.distress_training import (
    EXAMPLES_FILE,
    SEVERITY_EXAMPLES_FILE,
    development_severity_rows,
    read_examples,
    severity_rows,
)
from bot.engines.triage import triage
from tests.helpers import (
    ROOT,
    StagesSay,
    assert_recogniser_setting_rejected,
    signal_severity,
    use_content,
)

#: An urgent cry: documents taken, no emergency signal.
URGENT = "they took my passport and say i owe them 5000 dollars before i can leave"
#: A question about a film that fires an emergency signal (the media veto's family).
FILM = "that movie about the scam compound, the electric shock scene, is it real?"


@pytest.fixture
def engine(monkeypatch: pytest.MonkeyPatch):  # noqa: ANN201
    from bot.engines import distress_content

    shipped = distress_content.content()  # each use starts from it: no setting carries over

    def use(first: float, emergency: float, second: float = 0.9, **changes: float) -> None:
        data = replace(shipped, recogniser=StagesSay(first, second, emergency), **changes)
        use_content(monkeypatch, data)

    return use


def test_the_shipped_content_turns_the_stage_on() -> None:
    from bot.engines.distress_content import content

    data = content()
    assert 0 < data.emergency_above < 1
    assert data.recogniser is not None and data.recogniser.severity is not None


def test_a_cry_the_stage_reads_as_an_emergency_is_one(engine) -> None:  # noqa: ANN001
    engine(0.95, 0.9)
    assert triage(URGENT).severity == "emergency"
    engine(0.95, 0.1)
    assert triage(URGENT).severity == "urgent"
    engine(0.95, 0.9, emergency_above=0.0)  # off: the patterns alone, as before
    assert triage(URGENT).severity == "urgent"


def test_a_distress_only_the_models_called_needs_the_higher_bar(engine) -> None:  # noqa: ANN001
    quiet = "sitting on the office roof at lunch, looking down at the street"
    engine(0.95, 0.7, emergency_above=0.5, emergency_alone_above=0.8)
    result = triage(quiet)
    assert result.distress and not result.signals and result.severity == "urgent"
    engine(0.95, 0.85, emergency_above=0.5, emergency_alone_above=0.8)
    assert triage(quiet).severity == "emergency"
    engine(0.95, 0.7, emergency_above=0.5, emergency_alone_above=0.8)
    assert triage(URGENT).severity == "emergency"  # a signal called it: the lower bar


def test_the_stage_never_raises_a_message_to_distress(engine) -> None:  # noqa: ANN001
    engine(0.01, 0.99, second=0.01)
    result = triage("see you at the market at five")
    assert (result.distress, result.severity) == (False, "none")


def test_an_emergency_a_veto_outvoted_stays_outvoted(engine) -> None:  # noqa: ANN001
    engine(0.01, 0.99, second=0.01)
    assert triage(FILM).severity != "emergency"


def test_severity_rows_are_labelled_cries_and_close_calls() -> None:
    prepared = [({"label": True, "emergency": True, "family": "real_beaten"}, "a"),
                ({"label": True, "emergency": False, "family": "real_passport"}, "b"),
                ({"label": False, "family": "close_game"}, "c"),
                ({"label": False, "family": "ordinary_thanks"}, "d"),
                ({"label": True, "text": "help", "intent": "distress", "family": ""}, "e")]
    assert severity_rows(prepared) == [("a", True), ("b", False), ("c", False)]


def test_the_development_sets_are_no_labelled_message(tmp_path) -> None:
    """The development sets of hints and emergencies (the severity stage's alone in session 23,
    learned by the concept stage since session 25 and the first since session 26) share no id
    with the labelled messages (the held-out checks rely on it). Every cry carries its emergency
    label (session 24's Burmese set has urgent cries too)."""
    rows = read_examples(SEVERITY_EXAMPLES_FILE)
    ids = [row["id"] for row in rows]
    assert len(ids) == len(set(ids))
    assert not set(ids) & {row["id"] for row in read_examples(EXAMPLES_FILE)}
    assert all(isinstance(row.get("emergency"), bool) for row in rows if row["label"])
    assert len(development_severity_rows()) == len(rows)  # every look-alike counts as a close call
    assert development_severity_rows(tmp_path / "absent.jsonl") == []


@pytest.mark.parametrize(("line", "field"), [
    ("  emergency_above: 1.5\n", "emergency_above"),
    ("  emergency_alone_above: yes\n", "emergency_alone_above"),
])
def test_a_bad_setting_names_its_field(tmp_path, line: str, field: str) -> None:  # noqa: ANN001
    assert_recogniser_setting_rejected(tmp_path, line, field)


#: Measured at the end of session 19: of the 603 everyday texts the reviewers and audits wrote
#: (goodbyes before a flight, a rooftop, pills for a headache, romanised Thai/Khmer/Lao chat),
#: 231 are urgent false alarms of the models and the severity stage makes 53 of those emergencies
#: (their emergency signals: none). Known, not wanted; a ceiling, not a target. Session 23: the
#: severity stage learns the hint sets too (distress_severity_examples.jsonl; +20 of the 81
#: emergencies found but answered as urgent in four development sets it had not seen) and raises
#: three more of those false alarms ("tell mum im sorry i missed her call", an old phone given to
#: a brother, a Tagalog "tell mama sorry, can't come home this Christmas"): 56. Session 24: 873
#: early labelled cries had no emergency label and taught the stage "not an emergency" (five of
#: them the very wishes to die the severity-only file marks as emergencies). Now labelled (458
#: emergencies): CV by batch answers 5,883 of 6,181 emergencies found as emergencies (5,804
#: before; +40 on the old labels) and 14 more of these false alarms get the card: 70. wh4 and
#: rd24 (the Burmese development set) joined the severity-only file: 72. Session 26: wh5, wh6 and
#: whd6 (hints, all emergencies) joined it, and the first stage learns the development sets (it
#: raises "I keep melatonin for my child", which the severity stage calls an emergency): 77.
EVERYDAY_STAGE_EMERGENCIES = 77


def _everyday_texts() -> list[str]:
    from tests import test_triage_everyday as everyday
    from tests import test_triage_hints as hints
    from tests import test_triage_release18_everyday_b as audit

    def written(name: str, expect: str) -> list[str]:
        rows = (ROOT / "tests" / "data" / name).read_text(encoding="utf-8").splitlines()
        return [r["text"] for r in map(json.loads, filter(None, rows)) if expect in r["expect"]]

    return [*hints.QUIET, *hints.REVIEW_FREE_LIFE, *everyday.EVERYDAY,
            *(r["text"] for r in everyday.REVIEW if "free" in r["expect"]),
            *written("everyday_review15.jsonl", "not_emergency"), *audit.EVERYDAY,
            *written("everyday_review20.jsonl", "not_emergency"),
            *written("everyday_review21.jsonl", "not_emergency")]


def test_the_stage_makes_few_everyday_false_alarms_emergencies() -> None:
    texts = _everyday_texts()
    assert len(texts) == 603
    raised = [text for text in texts
              if triage(text).severity == "emergency" and signal_severity(text) != "emergency"]
    assert len(raised) <= EVERYDAY_STAGE_EMERGENCIES
