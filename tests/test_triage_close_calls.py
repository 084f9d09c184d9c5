"""Close calls the learned recogniser let through on a signal (session 11, tune-close14): a
deadline joke about the boss, a trainer who "beat me up", a snatched phone, a question whether
overstaying a visa means being locked up. Their guards blank only that clause, so a plea in
the same words, or after it, still counts. All texts invented."""

from __future__ import annotations

import pytest

from bot.engines.triage import match_signals, triage

EMERGENCY = {"VIOLENCE", "IMMEDIATE_DANGER", "SOLD", "SUICIDAL", "FOOD_DENIED"}


@pytest.mark.parametrize("text", [
    "papatayin ako ng manager ko kapag late ulit yung report ko bukas",
    "sếp giết em mất, báo cáo quý chưa xong",
    "kpi tháng này chưa đạt deadline, sếp giết tôi luôn",
    "หัวหน้าฆ่าผมแน่ ส่งงานไม่ทันอีกแล้ว",
    "ថៅកែនឹងសម្លាប់ខ្ញុំ បើរបាយការណ៍មិនរួចថ្ងៃនេះ",
    "ຫົວໜ້າຂ້າຂ້ອຍແນ່ ລາຍງານຍັງບໍ່ແລ້ວ",
    "my personal trainer destroyed me today, cant walk 💀",
    "dihajar pelatih gym tadi pagi, paha gemeter",
    "binugbog ako ng coach sa leg day kanina",
    "hôm qua bị giật điện thoại ở chợ, báo công an ở đâu",
    "在越南签证过期三天了，出境会不会被关起来？",
    "日本签证逾期了，去移民局自首会被拘留吗",
])
def test_a_close_call_clause_fires_no_emergency(text: str) -> None:
    assert not set(match_signals(text)) & EMERGENCY


@pytest.mark.parametrize("text", [
    # The same words, with what only a cry has: a compound, escape, the police, a beating.
    "papatayin ako ng boss ko kapag hindi ko natapos ang quota, tumakas na ang kasama ko",
    "sếp giết em mất nếu báo cáo trễ, hôm qua nó đánh em rồi",
    "หัวหน้าฆ่าผมแน่ถ้าหนี ส่งงานไม่ทันโดนซ้อม",
    "ថៅកែនឹងសម្លាប់ខ្ញុំ បើខ្ញុំរត់ ជួយផង",
    # A plea after the guarded clause still counts.
    "签证过期了，出境会被关小黑屋吗？老板把我关在小黑屋三天了，救命",
    "my trainer destroyed me at the gym lol. but at work they beat me every night, help",
])
def test_a_cry_with_the_same_words_is_still_distress(text: str) -> None:
    result = triage(text)
    assert result.distress
    assert result.severity == "emergency"


@pytest.mark.parametrize("text", [
    "sếp giết em mất, deadline trễ rồi, em muốn chết thật sự",
    "papatayin ako ng boss ko sa dami ng reports, gusto ko nang mamatay",
    "บอสฆ่าฉันแน่ ส่งงานช้าอีกแล้ว อยากตายจริงๆ",
])
def test_no_new_guard_hides_a_wish_to_die(text: str) -> None:
    result = triage(text)
    assert "SUICIDAL" in result.signals
    # The card, or (session 15) a check-in when both stages read it as hyperbole: the contacts
    # and a caseworker offer either way (tests/test_triage_check_in.py).
    assert (result.distress and result.severity == "emergency") or result.check_in


@pytest.mark.parametrize(("text", "gone"), [
    ("the office laptops got hit by ransomware, who do we report it to", "VIOLENCE"),
    ("គេឆក់កាបូបខ្ញុំនៅផ្សារ ត្រូវប្តឹងនៅណា", "VIOLENCE"),
    ("ຕິດປະຊຸມໝົດມື້ ຍັງບໍ່ໄດ້ກິນເຂົ້າທ່ຽງ", "VIOLENCE"),
])
def test_everyday_words_that_read_like_violence(text: str, gone: str) -> None:
    assert gone not in match_signals(text)
