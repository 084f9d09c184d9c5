"""Compound cries (issue #14, session 14): a message that names several urgent facts and no
emergency ("the ticket said Bangkok, taken across the river at night, now scam 16 hours a day,
no salary") was vetoed by the second stage at 0.13-0.22 in my, th and zh (the known misses of
tests/test_triage_writer16.py). With ``recogniser.compound_signals`` distinct signals of distress
found and no film, "safe now" or joke anywhere in the text, the second stage does not veto and the
first stage needs only ``compound_with_signal``. Cross-validated by batch: cries +1, close calls,
ordinary messages and emergencies unchanged (README, distress.yml)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.engines.triage import match_signals, triage
from tests.helpers import StagesSay, assert_recogniser_setting_rejected, use_content

#: The writer's three compound cries the second stage vetoed (tests/data/compound_writer16.jsonl).
KNOWN = [
    "flight က ဘန်ကောက် ဆိုပြီး ညဘက် မြစ်ကူးခေါ်သွားတယ် အခု online scam ၁၆နာရီ လုပ်ရတယ် လစာမရ",
    "flight ไปกรุงเทพ แต่พาข้ามแม่น้ำตอนกลางคืน ตอนนี้ต้องทำ scam online วันละ16ชม ไม่ได้เงินเดือน",
    "机票是飞曼谷的，晚上被带过河，现在天天做 scam 16小时，没工资，出不去",
    # Vietnamese had one signal of four: the movers before the verb, the night before the river
    # and "ko ... dc" (can't) were new (session 14)
    "vé bay đi Bangkok mà ban đêm tụi nó chở qua sông, giờ làm scam online 16 tiếng, ko lương, "
    "ko ra ngoài dc",
]
#: Vietnamese "can't go out" for the weather or an illness is no confinement.
VI_WEATHER = ["trời mưa to quá ko ra ngoài dc", "con ốm nên ko ra ngoài dc mấy hôm"]
CRY = ("the ticket said bangkok but they drove us across the river at night, took our passports, "
       "now forced to scam 16 hours a day, cant go out")
#: The same facts told by someone who is not inside: a film, a survivor safe now, a joke.
QUIET = [
    "watched a documentary last night: the ticket said bangkok but they drove them across the "
    "river at night, took their passports, forced to scam 16 hours a day, could not go out",
    "看了个纪录片，机票是飞曼谷的，晚上被带过河，天天做诈骗16小时，没工资，出不去",
    "back in 2022 the ticket said bangkok but they drove us across the river at night, took our "
    "passports, forced us to scam 16 hours a day. home for two years now, can i volunteer?",
    "lol the ticket said bangkok but they drove us across the river at night, took our passports, "
    "forced to scam 16 hours a day haha",
]
#: Fewer signals than the rule asks: the second stage still decides.
FEWER = "they took our passports and we scam 16 hours a day"


@pytest.mark.parametrize("text", KNOWN)
def test_the_known_compound_cries_are_found(text: str) -> None:
    assert triage(text).distress


@pytest.mark.parametrize("text", VI_WEATHER)
def test_staying_in_for_rain_or_a_sick_child_is_no_confinement(text: str) -> None:
    assert "CONFINEMENT" not in match_signals(text)


@pytest.fixture
def low_stages(monkeypatch: pytest.MonkeyPatch):  # noqa: ANN201
    """Both stages below their bars: only the compound rule can raise a message."""
    from bot.engines import distress_content

    data = distress_content.content()
    assert 4 <= data.compound_signals and 0 < data.compound_with_signal < data.with_signal
    low = replace(data, recogniser=StagesSay((data.compound_with_signal + data.with_signal) / 2))
    use_content(monkeypatch, low)
    return low


def test_a_compound_cry_is_not_vetoed(low_stages, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    low = low_stages
    assert len(match_signals(CRY)) >= low.compound_signals
    for text in [CRY, *KNOWN]:
        assert triage(text).distress, text
    off = replace(low, compound_signals=0)
    use_content(monkeypatch, off)
    assert not triage(CRY).distress  # the rule off: the second stage vetoes as before


def test_below_the_compound_bar_the_first_stage_still_decides(
        low_stages, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    low = low_stages
    lower = replace(low, recogniser=StagesSay(low.compound_with_signal / 2))
    use_content(monkeypatch, lower)
    assert not triage(CRY).distress


@pytest.mark.parametrize("text", [*QUIET, FEWER])
def test_the_same_facts_in_a_film_a_survivor_or_a_joke_stay_with_the_models(
        low_stages, text: str) -> None:  # noqa: ANN001
    assert not triage(text).distress


@pytest.mark.parametrize(("line", "field"), [
    ("  compound_signals: -1\n", "compound_signals"),
    ("  compound_signals: 2.5\n", "compound_signals"),
    ("  compound_signals: true\n", "compound_signals"),
    ("  compound_with_signal: 0.3\n", "compound_with_signal"),  # above with_signal
    ("  compound_unless_signals: [NOPE]\n", "compound_unless_signals"),
])
def test_compound_settings_are_checked(tmp_path, line: str, field: str) -> None:  # noqa: ANN001
    assert_recogniser_setting_rejected(tmp_path, line, field)
