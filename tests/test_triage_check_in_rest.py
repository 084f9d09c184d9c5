"""A wish to die beside an everyday cause gets a check-in (issue #14, session 17).

A wish to die in jest names its cause ("finals tomorrow. i want to die", "MU kalah lagi. pengen
mati aja"); a real one rarely does. When only a wish to die calls a message distress, the second
stage also reads the rest of it with the wish's spans blanked: below ``check_in_rest_below`` on a
rest of at least ``check_in_rest_letters`` letters, with the whole message below
``check_in_rest_full_below``, the answer is a check-in (a question, the emergency contacts, a
caseworker one tap away), as when both stages read the whole as hyperbole. CV by batch: 17 of 62
such close calls raised, no cry lost (README "Session 17", distress.yml).
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.engines.distress_signals import folded_for_patterns, without_signals
from bot.engines.distress_training import model_text
from bot.engines.triage import triage
from tests.helpers import use_content

EXAM = "finals tomorrow. i want to die."


class RestSays:
    """First stage ``first``; second stage ``whole`` on a text naming the wish, ``rest`` on the
    rest of it; the ad and ordinary stages read a cry (they never veto)."""

    def __init__(self, first: float, whole: float, rest: float) -> None:
        self.first, self.whole, self.rest = first, whole, rest
        self.read: list[str] = []

    def probability(self, prepared: str) -> float:
        return self.first

    def cry_probability(self, prepared: str) -> float:
        self.read.append(prepared)
        return self.whole if "die" in prepared else self.rest

    def ad_cry_probability(self, prepared: str) -> float:
        return 0.9

    def ordinary_cry_probability(self, prepared: str) -> float:
        return 0.9

    def emergency_probability(self, prepared: str) -> float:
        return 0.0


@pytest.fixture
def stages(monkeypatch: pytest.MonkeyPatch):  # noqa: ANN201
    from bot.engines import distress_content

    data = distress_content.content()
    assert data.check_in_rest_below and data.check_in_rest_letters and (
        data.check_in_rest_full_below)

    def use(first: float, whole: float, rest: float, **changes: object) -> RestSays:
        model = RestSays(first, whole, rest)
        swapped = replace(data, recogniser=model, **changes)
        use_content(monkeypatch, swapped)
        return model

    use.data = data  # type: ignore[attr-defined]
    return use


def _rest_and_letters(text: str) -> tuple[str, int]:
    from bot.engines.distress_content import content

    data = content()
    normalized = model_text(text)
    wish = [s for s in data.signals if s.id in data.check_in_signals]
    return without_signals(normalized, folded_for_patterns(normalized), wish)


def _rest(text: str) -> str:
    return _rest_and_letters(text)[0]


@pytest.mark.parametrize(("text", "rest", "letters"), [
    (EXAM, "finals tomorrow. i .", 15),
    ("Mai thi cuối kì. GIẾT TÔI ĐI.", "mai thi cuối kì .", 10),  # "kì." touched by ". giết"
    ("明天考试 一个字没看 不想活了啊啊啊", "明天考试 一个字没看 了啊啊啊", 9),
    ("明天考試 一個字沒看 不想活了", "明天考試 一個字沒看 了", 9),  # traditional: offsets hold
    ("i can't go on, last day at the factory", "i ' , last day at the factory", 20),
    ("no wish here", "", 0),  # nothing blanked
    ("lost my job and the rent is due. i want to dieeee", "", 0),  # found only stretched
])
def test_the_rest_is_the_model_text_without_the_wish(text: str, rest: str, letters: int) -> None:
    # Accents and script kept (the model reads them), the wish's spans gone, spaces squeezed;
    # letters count only in words the wish did not touch ("了", "i" of "i can't" do not).
    assert _rest_and_letters(text) == (rest, letters)


def test_a_wish_beside_an_everyday_cause_gets_a_check_in(stages) -> None:  # noqa: ANN001
    data = stages.data
    model = stages(0.5, data.check_in_rest_full_below - 0.01, data.check_in_rest_below - 0.01)
    result = triage(EXAM)
    assert result.check_in and not result.distress and result.reaches_out
    assert result.confidence == pytest.approx(data.check_in_rest_below - 0.01)
    assert model.read[-1] == _rest(EXAM)


@pytest.mark.parametrize(("whole_gap", "rest_gap"), [(0.0, -0.01), (-0.01, 0.0), (0.5, -0.1)])
def test_either_reading_at_its_bar_keeps_the_card(  # noqa: ANN001
        stages, whole_gap: float, rest_gap: float) -> None:
    data = stages.data
    stages(0.5, data.check_in_rest_full_below + whole_gap, data.check_in_rest_below + rest_gap)
    result = triage(EXAM)
    assert result.distress and result.severity == "emergency" and not result.check_in


@pytest.mark.parametrize("text", [
    "ugh. i want to die", "i want to die", "i want to die lol", "ပင်ပန်းလိုက် သေချင်တယ်",
    "lost my job and the rent is due. i want to dieeee",  # stretched: no rest to read
])
def test_a_wish_with_too_little_else_keeps_the_card(stages, text: str) -> None:  # noqa: ANN001
    # Nothing else said: nothing for the rest to weigh; the whole message decides, as before.
    stages(0.5, 0.01, 0.01)
    assert _rest_and_letters(text)[1] < stages.data.check_in_rest_letters
    assert triage(text).distress


@pytest.mark.parametrize("text", [
    "finals tomorrow and they beat me again last night, i want to die",
    "finals tomorrow. im not joking i want to die",
])
def test_another_signal_or_a_meant_wish_keeps_the_card(stages, text: str) -> None:  # noqa: ANN001
    stages(0.5, 0.01, 0.01)
    result = triage(text)
    assert result.distress and result.severity == "emergency" and not result.check_in


def test_the_setting_off_gives_the_card(stages) -> None:  # noqa: ANN001
    stages(0.5, 0.01, 0.01, check_in_rest_below=0.0)
    assert triage(EXAM).distress


@pytest.mark.parametrize(("line", "field"), [
    ("  check_in_rest_below: 0.6\n", "check_in_rest_below"),
    ("  check_in_rest_full_below: 1\n", "check_in_rest_full_below"),
    ("  check_in_rest_letters: -1\n", "check_in_rest_letters"),
    ("  check_in_rest_letters: 2.5\n", "check_in_rest_letters"),
])
def test_a_bad_setting_is_refused_naming_the_field(tmp_path, line: str, field: str) -> None:  # noqa: ANN001
    from tests.helpers import assert_recogniser_setting_rejected

    assert_recogniser_setting_rejected(tmp_path, line, field)
