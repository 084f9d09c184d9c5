"""Session 8 (tune-distress10): a survivor safe now who wants to volunteer may be outvoted like a
film question; a short starvation report is an emergency; game levels and series searches are
MEDIA (README "Session 8", batch 18 released)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.engines import distress_content
from bot.engines.triage import match_signals, triage
from tests.helpers import SureItIsNoCry, use_content

SURVIVORS = [
    "they kept me in a compound in Myawaddy in 2021 and beat me with sticks. I've been back "
    "home for two years now and would like to volunteer with your team",
    "ปี 65 หนูโดนขังและโดนตีที่เมียวดี ตอนนี้กลับมาอยู่บ้านแล้ว อยากเป็นอาสาสมัครค่ะ",
    "Năm 2021 tôi bị đánh ở Shwe Kokko, giờ đã an toàn ở quê, muốn làm tình nguyện viên",
    "2021 我在妙瓦底被打过，现在很安全了，想当志愿者帮帮还在里面的人",
]


@pytest.mark.parametrize("text", SURVIVORS)
def test_a_survivor_safe_now_is_outvoted_only_through_the_safe_now_gate(
        monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    """Models sure it is no cry: the past violence is outvoted with SAFE_NOW, kept without it."""
    assert "SAFE_NOW" in match_signals(text)
    sure = replace(distress_content.content(), recogniser=SureItIsNoCry())
    use_content(monkeypatch, sure)
    assert not triage(text).distress
    no_gate = replace(sure, emergency_veto_signals=frozenset({"MEDIA"}))
    use_content(monkeypatch, no_gate)
    assert triage(text).severity == "emergency"


def test_a_first_hand_cue_keeps_a_survivor_style_cry(monkeypatch: pytest.MonkeyPatch) -> None:
    """"I was home for a year, now I'm trapped again": FIRST_HAND wins over SAFE_NOW."""
    text = ("i was back home for a year and wanted to volunteer, but now i'm trapped again in a "
            "compound and they beat me yesterday")
    assert {"SAFE_NOW", "FIRST_HAND"} <= set(match_signals(text))
    sure = replace(distress_content.content(), recogniser=SureItIsNoCry())
    use_content(monkeypatch, sure)
    assert triage(text).severity == "emergency"


@pytest.mark.parametrize("text", [
    "ထမင်း ၄ ရက် မစားရဘူး",
    "ឃ្លាន ២ថ្ងៃមិនបានញុំា",
    "no rice for four days 😢",
    "ไม่ได้กินข้าวมา 2 วันแล้ว",
    "ບໍ່ໄດ້ກິນເຂົ້າ 2 ມື້ແລ້ວ",
    "2 ngày không ăn gì hết",
    "kelaparan sudah 2 hari",
    "gutom na kami dalawang araw",
    "两天没饭吃了",
    "2 din dekhi khana khayeko chaina",
])
def test_a_short_starvation_report_is_an_emergency(text: str) -> None:
    assert "FOOD_DENIED" in match_signals(text)
    result = triage(text)
    assert result.distress and result.severity == "emergency"


@pytest.mark.parametrize("text", [
    "那个园区逃生游戏第五关老是被电棍电死，怎么过",
    "vượt màn 4 toàn bị bảo vệ đánh chết, chỉ mình với",
    "yak beung nang chin kiaw kap khon thuek khang",
    "any series like that one where they sell workers to another compound?",
])
def test_game_levels_and_series_searches_are_media(text: str) -> None:
    assert "MEDIA" in match_signals(text)
