"""Close calls raised by a wrong word or an unguarded clause in cross-validation by batch once
batches 31, 32 and the fifth probe were released (session 14, close17): romanised Nepali "20
hajar" (twenty thousand) read as Indonesian "hajar" (beat up), a dog named Bantay read as a guard
(Tagalog bantay), Thai sleeping pills for a long flight read as a wish to die (กินยา), Vietnamese
deadline hyperbole "chắc chết mất thôi", a game lost in Mobile Legends, and a drama's heroine
kidnapped or beaten in the plot. Each change blanks only the clause of the alarming word or drops
a word that means something else; the same words beside a cry still count (saved pills, "like
the heroine, me too", a beating by the boss). All texts invented for these tests."""

from __future__ import annotations

import pytest

from bot.engines import distress_content
from bot.engines.triage import match_signals, triage

EMERGENCY = {"VIOLENCE", "IMMEDIATE_DANGER", "SOLD", "SUICIDAL", "FOOD_DENIED"}


@pytest.mark.parametrize("text", [
    # romanised Nepali "hajar" = thousand, an online scam victim at home
    "online shopping ma 15 hajar thagiyo, ma pokhara ma ghar mai chu, ujuri kaha garne",
    "tiktok ko lottery bhanera das hajar thagyo, police ma report garna milchha?",
    "5 hajar rupaiya pathayeko thiye, aba phone uthaudaina",
    # sleeping pills for a long flight (Thai กินยา was a wish to die)
    "บินไปแคนาดา 15 ชม. กินยานอนหลับกี่เม็ดถึงจะปลอดภัยคะ",
    "เที่ยวบินยาวไปยุโรป กินยานอนหลับได้ไหม กลัวเจ็ทแล็ก",
    "กินยาแก้เมาก่อนขึ้นเครื่องดีไหม",
    # deadline and exam hyperbole
    "deadline dí sát nút rồi, chắc chết mất thôi",
    "mai thi cuối kỳ mà chưa ôn gì, chắc em chết mất",
    # a drama's character suffering in the plot
    "serial herdai thiye, heroine lai kotha ma thunera kutyo, dherai runa aayo",
    "सिरियलमा हिरोइनलाई कोठामा थुनेर कुटे, हेर्दाहेर्दै रोएँ",
    "sinetron semalam sedih, ceweknya disekap terus dijual",
    "teleserye kagabi, kinidnap yung bida tapos binugbog, iyak ako",
])
def test_an_everyday_clause_fires_no_emergency(text: str) -> None:
    assert not set(match_signals(text)) & EMERGENCY


@pytest.mark.parametrize("text", [
    "pinatulog na namin si Bantay sa vet kahapon, wala na sya",
    "dinala ko si Bantay sa vet, yung aso namin",
])
def test_a_dog_named_bantay_is_not_a_guard(text: str) -> None:
    assert "NOT_FREE" not in match_signals(text)


@pytest.mark.parametrize("text", [
    # review17b: without a pet or a vet, "si bantay" is the compound's guard
    "Si bantay sa gate may baril, hindi kami makalabas, kinuha passport namin",
    "kay bantay lang kami pwede magpaalam, 3 araw na kaming hindi pinapalabas ng kwarto",
])
def test_the_guard_called_si_bantay_is_still_a_guard(text: str) -> None:
    assert "NOT_FREE" in match_signals(text)


def test_a_dog_put_to_sleep_is_not_distress() -> None:
    assert not triage("pinatulog na namin si Bantay sa vet kahapon, wala na sya").distress


@pytest.mark.parametrize("text", [
    # Mobile Legends (ML, MLBB) names a game (MEDIA): the models outvote its "binugbog"
    "binugbog kami ng 5 hero sa ML kagabi, talo na naman",
    "binugbog ako ng kalaban sa mlbb rank game, uninstall na",
])
def test_a_game_lost_is_not_distress(text: str) -> None:
    assert "MEDIA" in match_signals(text)
    assert not triage(text).distress


@pytest.mark.parametrize("text", [
    "ละครเมื่อคืน นางเอกโดนจับไปขัง ร้องไห้เลย",
    "韩剧里女主被绑架关起来了，看哭了",
    "phim tối qua nữ chính bị bắt cóc nhốt lại, xem mà khóc",
    "រឿងភាគថៃយប់មិញ គេចាប់នាងឯកយកទៅឃុំ",
    "the drama last night, the heroine gets kidnapped and locked in a basement, i cried",
    "ເບິ່ງລະຄອນມື້ຄືນ ນາງເອກຖືກລັກພາຕົວໄປຂັງ ຮ້ອງໄຫ້ໝົດມື້",
    "นางเอกโดนจับไปขังในตอนล่าสุด ดูแล้วร้องไห้",
    "女主被绑架关了三集，太虐了",
])
def test_a_drama_heroine_is_not_the_writer(text: str) -> None:
    assert not {"CONFINEMENT", "VIOLENCE", "THREAT_OF_SALE"} & set(match_signals(text))


@pytest.mark.parametrize("text", [
    # an Indonesian beating, with and without a number elsewhere
    "mereka hajar aku tiap malam kalau target kurang",
    "utang 20 juta, mandor hajar aku kemarin",
    # saved pills or a death word beside a flight
    "บินกลับไม่ได้แล้ว เก็บยานอนหลับไว้ 20 เม็ด จะกินยาให้หมด",
    "ขึ้นเครื่องพรุ่งนี้ แต่อยากกินยานอนหลับให้หมดแผงแล้วไม่ต้องตื่นอีก",
    # hyperbole words beside a beating
    "deadline gì nữa, bọn nó đánh em mỗi ngày, chắc em chết mất thôi, cứu em",
    "kpi không đạt là bị chích điện, chắc chết mất",
    # a game named beside a beating in a compound
    "binugbog kami ng guard sa compound, naglalaro lang kami ng ML nung nahuli",
    # like the drama's heroine, me too
    "serial ma heroine lai jastai malai pani kotha ma thunera kutchan, bachaunus",
    "सिरियलमा हिरोइनलाई जस्तै मलाई पनि कोठामा थुनेर कुट्छन्",
    "sinetron td ceweknya disekap, aku juga disekap di mess sama bos, tolong",
    "ຂ້ອຍກໍຖືກຂັງຄືນາງເອກໃນລະຄອນ ຊ່ວຍແດ່",
    # a lure to act in a drama, then sold (tests/data/compound_review16.jsonl zh-c06 and c07)
    "they said it was a casting for the heroine in a series, then they sold me to a compound",
    "tuyển diễn viên đóng phim, nữ chính gì đâu, sang đây bị đánh bị bán",
    # 女主管 (a female supervisor) is not 女主 (a drama's heroine)
    "女主管天天打我们，不让走",
])
def test_a_cry_with_the_same_words_is_still_an_emergency(text: str) -> None:
    result = triage(text)
    assert result.distress
    assert set(result.signals) & (EMERGENCY | {"CONFINEMENT", "THREAT_OF_SALE"})


@pytest.mark.parametrize("text", [
    "boss le bholi hamilai arko company ma bechdinchu bhanyo, 25 hajar dollar ma",
    "sahu le malai arko company ma bechdinchan re, dar lagyo",
])
def test_being_sold_in_romanised_nepali_is_an_emergency(text: str) -> None:
    result = triage(text)
    assert result.distress and result.severity == "emergency"


@pytest.mark.parametrize("text", [
    "ແມ່ ວຽກບໍ່ຄືທີ່ເຂົາເວົ້າ ຢາກກັບບ້ານແລ້ວ",
    "ບອກແມ່ແດ່ວ່າລູກຂໍໂທດ ລູກຄົງບໍ່ໄດ້ກັບບ້ານແລ້ວ",
])
def test_wanting_to_go_home_is_not_safe_now(text: str) -> None:
    # The Lao "ກັບບ້ານແລ້ວ" (home now) also ended "I want to go home" and "will never go home".
    assert "SAFE_NOW" not in match_signals(text)


@pytest.mark.parametrize("text", [
    "ตอนนี้กลับบ้านแล้ว ปลอดภัยดี",
    "ຕອນນີ້ກັບບ້ານແລ້ວ ປອດໄພດີ",
    "पहिले कम्पनीमा फसेको थिएँ, अब घरमै छु",
    "pahile company ma faseko thiye, aba ghar mai chu",
])
def test_a_survivor_home_now_is_safe_now(text: str) -> None:
    assert "SAFE_NOW" in match_signals(text)


def test_a_writer_safe_now_needs_the_full_bar(monkeypatch: pytest.MonkeyPatch) -> None:
    """SAFE_NOW and no FIRST_HAND: the signals do not lower the first stage's bar (close17)."""
    from dataclasses import replace

    from bot.engines import triage as engine

    data = distress_content.content()
    assert data.safe_now_signals == frozenset({"SAFE_NOW"})
    assert engine._with_signal(data, 100, {"CONFINEMENT", "SAFE_NOW"}) == data.threshold
    assert engine._with_signal(data, 100, {"CONFINEMENT", "SAFE_NOW", "FIRST_HAND"}) \
        == data.with_signal
    assert engine._with_signal(data, 100, {"CONFINEMENT"}) == data.with_signal
    off = replace(data, safe_now_signals=frozenset())
    assert off.safe_now_signals == frozenset()
    assert engine._with_signal(off, 100, {"CONFINEMENT", "SAFE_NOW"}) == data.with_signal


@pytest.mark.parametrize("text", [
    # safe now, but someone else is still held: still a cry
    "i am home now for a year but my brother is still trapped in a compound in myawaddy, "
    "they took his passport, he cannot leave",
    "अब घरमै छु तर भाइ अझै म्यानमारको कम्पनीमा थुनिएको छ, पासपोर्ट खोसेका छन्",
    "aku relawan sekarang, tapi adikku masih disekap di kamboja, paspornya ditahan",
])
def test_safe_now_beside_someone_still_held_is_a_cry(text: str) -> None:
    assert triage(text).distress


def test_lien_quan_related_to_is_not_the_game() -> None:
    # "liên quân" (a game) and "liên quan" (related to) fold alike: the game guard blanked the
    # rest of "công ty liên quan đến lừa đảo, bị đánh" (a beating) before close17.
    text = "em bị bắt làm việc cho công ty liên quan đến lừa đảo, bị đánh, bị nhốt, không cho về"
    assert "VIOLENCE" in match_signals(text)
    assert triage(text).severity == "emergency"
    assert not triage("chơi liên quân bị team bán đứng, thua sấp mặt").distress
