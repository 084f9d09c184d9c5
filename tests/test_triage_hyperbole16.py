"""Everyday hyperbole that got the emergency card (issue #14, session 16, hyper19).

On the session's wish-to-die development set, "deadline piling up. kill me." (vi "giết tôi đi"),
"three-hour meeting. just kill me" (zh "杀了我吧") and "exam tomorrow, haven't read a page, I'm
dead 😭" (zh "死定了") fired IMMEDIATE_DANGER while both stages scored them about 0.02: the
emergency card for a safe life. Two families, decided in all ten languages:

* A request to be killed ("kill me", "杀了我吧", "giết tôi đi", "bunuh aku aja", "patayin nyo na
  lang ako", "សម្លាប់ខ្ញុំទៅ", "ฆ่าฉันที", "ຂ້າຂ້ອຍແດ່", "သတ်ပစ်လိုက်ပါတော့") names nobody who
  threatens: it is a wish to die. IMMEDIATE_DANGER blanks its span; where IMMEDIATE_DANGER used
  to catch it, SUICIDAL now does (an emergency, or a check-in when both stages read it as
  hyperbole: ``recogniser.check_in_signals``), and no exam or traffic guard blanks it. English and
  Nepali requests had no signal before and get none now (the models decide, as before).
* "I'm dead / doomed" (死定了, "chết chắc", "กูตายแน่", "I'm dead") alone is an idiom; it is a
  threat only beside who would do it or being caught ("if they find this phone I'm dead").

Every real threat stays an emergency whatever the models say: "they will kill me", "if I escape
and get caught I'm dead, they'll beat me to death", "boss said he'll kill me if I don't pay".
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.engines import distress_content
from bot.engines.triage import match_signals, triage
from tests.helpers import StagesSay, cases_by_language, use_content

#: Requests to be killed that IMMEDIATE_DANGER used to catch: now SUICIDAL, not IMMEDIATE_DANGER.
#: The first of each language is the development set's text where it had one.
REQUESTS = {
    "zh": ["开了三个小时会。杀了我吧", "明天高考。杀了我吧。", "谁来杀了我算了，又加班",
           "国庆堵在高速上三个小时了，一动不动，杀了我吧"],
    "vi": ["deadline dồn một đống. giết tôi đi.", "mai thi cuối kì. giết tôi đi.",
           "kẹt xe 1 tiếng rồi, mưa ngập tới bánh xe, giết tôi đi cho rồi"],
    "id": ["besok UTBK. bunuh aku skrg.", "macet 3 jam di tol, bunuh aku aja"],
    "tl": ["finals week. patayin nyo na lang ako", "talo na naman lakers. patayin mo na ako",
           "leg day kanina, patayin nyo na ko"],
    "km": ["ស្អែកប្រឡងបាក់ឌុប។ សម្លាប់ខ្ញុំទៅ។", "ប្រជុំ៣ម៉ោងហើយ សម្លាប់ខ្ញុំទៅ"],
    "th": ["ประชุมสามชั่วโมง ฆ่าฉันที", "พรุ่งนี้สอบ final ฆ่าฉันที", "งานเยอะมาก ฆ่ากูเถอะ"],
    "lo": ["ມື້ອື່ນເສັງ ຂ້າຂ້ອຍແດ່", "ປະຊຸມ 3 ຊົ່ວໂມງ ຂ້າຂ້ອຍແດ່"],
    "my": ["အစည်းအဝေး ၃ နာရီ ငါ့ကို သတ်ပစ်လိုက်ပါတော့"],
}
#: Requests in languages where no signal caught them before: still no IMMEDIATE_DANGER.
UNSIGNALLED_REQUESTS = {
    "en": ["deadline piling up. kill me.", "three-hour meeting. just kill me right now",
           "someone please kill me right now lol"],
    "ne": ["आज अफिसमा चार घण्टा मिटिङ, मलाई कसैले मारिदेओ"],
}
#: "I'm dead / doomed" with nobody who would do it: no IMMEDIATE_DANGER, no SUICIDAL.
IDIOMS = {
    "zh": ["明天考高数，一页都没看，死定了😭", "国足又输了，死定了", "跑了十公里，腿要废了，死定了",
           "老板要是看到这个报告我就死定了"],
    "vi": ["mai thi mà chưa học chữ nào, chết chắc rồi", "MU thua nữa rồi, chết chắc"],
    "th": ["พรุ่งนี้สอบ ยังไม่ได้อ่านเลย กูตายแน่"],
    "en": ["exam tomorrow, haven't read a page, I'm dead 😭",
           "if my mom finds out i skipped class im dead lol",
           "if he finds out i crashed his car im dead", "if they find out i ate the cake im dead"],
}
#: Real threats: IMMEDIATE_DANGER, an emergency whatever the models say (both stages at 0.01).
THREATS = {
    "en": ["they will kill me",
           "if I escape and get caught I'm dead, they'll beat me to death",
           "boss said he'll kill me if I don't pay", "if they find this phone im dead",
           "if the boss finds out i messaged the embassy im dead",
           "if i run and get caught im dead",
           "just kill me, they will kill me right now anyway"],
    "zh": ["老板说我不还钱就杀了我", "要是他们发现这个手机我就死定了", "他们会杀了我吧",
           "老板说跑就弄死我", "要是跑了被抓回来就死定了", "业绩报告交不够数死定了"],
    "vi": ["họ sẽ giết tôi", "sếp nói nếu không trả tiền thì giết tôi",
           "nếu tụi nó thấy cái điện thoại này là em chết chắc",
           "nếu trốn mà bị bắt lại thì em chết chắc", "không đủ báo cáo doanh số là chết chắc"],
    "id": ["mereka akan bunuh aku", "bos bilang kalau aku gak bayar dia bakal bunuh aku",
           "kalau aku kabur terus ketangkep, mereka bunuh aku"],
    "tl": ["papatayin nila ako", "sabi ng boss papatayin daw ako pag di ako nagbayad"],
    "km": ["គេនឹងសម្លាប់ខ្ញុំ", "ថៅកែថាបើខ្ញុំមិនសងលុយ គេនឹងសម្លាប់ខ្ញុំ"],
    "th": ["พวกมันจะฆ่าผม", "เถ้าแก่บอกว่าถ้าไม่จ่ายเงินจะฆ่าผม",
           "ถ้ามันเจอมือถือเครื่องนี้ผมตายแน่", "ถ้าหนีแล้วโดนจับได้ ผมตายแน่"],
    "lo": ["ເຂົາຈະຂ້າຂ້ອຍ", "ນາຍບອກວ່າຖ້າບໍ່ຈ່າຍເງິນຈະຂ້າຂ້ອຍ"],
    "my": ["သူတို့ ငါ့ကို သတ်မယ်", "ပိုက်ဆံမပေးရင် သတ်မယ်လို့ boss ပြောတယ်",
           "ထွက်ပြေးရင် သတ်ပစ်လိုက်တော့မယ်တဲ့"],
    "ne": ["उनीहरूले मलाई मार्छन्", "पैसा नतिरे मार्छु भन्छ हाकिम"],
}


@pytest.fixture
def stages(monkeypatch: pytest.MonkeyPatch):  # noqa: ANN201
    """Set both stages' probabilities for the engine."""

    data = distress_content.content()

    def use(first: float, second: float) -> None:
        swapped = replace(data, recogniser=StagesSay(first, second))
        use_content(monkeypatch, swapped)

    use.data = data  # type: ignore[attr-defined]
    return use


def test_every_language_is_tested_both_ways() -> None:
    langs = {"en", "id", "km", "lo", "my", "ne", "th", "tl", "vi", "zh"}
    assert set(REQUESTS) | set(UNSIGNALLED_REQUESTS) == langs
    assert set(THREATS) == langs


@pytest.mark.parametrize("text", cases_by_language(REQUESTS))
def test_a_request_to_be_killed_is_a_wish_to_die_not_a_threat(text: str) -> None:
    found = match_signals(text)
    assert "IMMEDIATE_DANGER" not in found and "SUICIDAL" in found, (text, found)


@pytest.mark.parametrize("text", cases_by_language(REQUESTS))
def test_a_request_to_be_killed_read_as_hyperbole_gets_a_check_in(stages, text: str) -> None:  # noqa: ANN001
    low = stages.data.check_in_below / 2
    stages(low, low)
    result = triage(text)
    assert result.check_in and not result.distress and result.severity == "none", text


@pytest.mark.parametrize("text", cases_by_language(REQUESTS))
def test_a_request_to_be_killed_the_models_call_a_cry_stays_an_emergency(stages, text: str) -> None:  # noqa: ANN001
    stages(0.6, 0.6)
    result = triage(text)
    assert result.distress and result.severity == "emergency" and not result.check_in, text


@pytest.mark.parametrize("text", cases_by_language(UNSIGNALLED_REQUESTS))
def test_a_request_with_no_signal_before_gets_no_threat_now(text: str) -> None:
    found = match_signals(text)
    assert "IMMEDIATE_DANGER" not in found, (text, found)


@pytest.mark.parametrize("text", cases_by_language(IDIOMS))
def test_im_dead_alone_is_an_idiom(stages, text: str) -> None:  # noqa: ANN001
    found = match_signals(text)
    assert "IMMEDIATE_DANGER" not in found and "SUICIDAL" not in found, (text, found)
    stages(0.02, 0.02)
    assert triage(text).severity != "emergency", text


@pytest.mark.parametrize("text", cases_by_language(THREATS))
def test_a_real_threat_stays_an_emergency_whatever_the_models_say(stages, text: str) -> None:  # noqa: ANN001
    assert "IMMEDIATE_DANGER" in match_signals(text), text
    stages(0.01, 0.01)
    result = triage(text)
    assert result.distress and result.severity == "emergency" and not result.check_in, text


@pytest.mark.parametrize("text", [
    "ถ้าสอบตก แม่ฆ่าฉันแน่",  # the exam guard still blanks a parent's hyperbole
    "ມື້ອື່ນເສັງ ແມ່ຂ້າຂ້ອຍແນ່",
    "堵车三个小时，被困在车里",  # the traffic guard still blanks "trapped"
    "kẹt xe 2 tiếng, bị kẹt cứng trong xe",
    "macet 3 jam, kejebak di mobil",
])
def test_the_exam_and_traffic_guards_still_hold_without_a_request(text: str) -> None:
    found = set(match_signals(text))
    assert not found & {"IMMEDIATE_DANGER", "SUICIDAL", "CONFINEMENT"}, (text, found)


@pytest.mark.parametrize("text", [
    "hôm qua nhậu xỉn quá, nay đau đầu muốn chết",  # the development set's hangover
    "trời ơi quê muốn chết 😂 gọi cô giáo là mẹ trước cả lớp",
    "ăn cay muốn chết luôn",
])
def test_a_vietnamese_degree_idiom_of_a_headache_is_no_wish_to_die(text: str) -> None:
    assert "SUICIDAL" not in match_signals(text), text


@pytest.mark.parametrize("text", [
    "buồn muốn chết",  # sad: a wish may hide in it
    "nó muốn chết",  # he wants to die
    "bị đánh đau đầu muốn chết, cứu em",
    "đau đầu muốn chết, thật sự muốn chết rồi",
])
def test_the_degree_guard_leaves_a_wish_to_die(text: str) -> None:
    assert "SUICIDAL" in match_signals(text), text


@pytest.mark.parametrize("text", [
    "mampus aku, deadline lewat, bos bakal bunuh aku besok 😭",
    "my boss bakal bunuh aku nih, deadline jam 5 😭",
    "mampus gw dibunuh bos nih, file laporan ketinggalan di ojol 😭",
    "ស្លាប់ហើយ ថៅកែនឹងសម្លាប់ខ្ញុំ ភ្លេចផ្ញើ report 😭",
    "ຕາຍແນ່ ເຖົ້າແກ່ຂ້າຂ້ອຍແນ່ ລືມສົ່ງ report 😭",
])
def test_the_boss_killing_me_over_a_report_is_office_hyperbole(text: str) -> None:
    assert "IMMEDIATE_DANGER" not in match_signals(text), text


@pytest.mark.parametrize("text", [
    "bos bakal bunuh aku kalau laporan penipuan malam ini kurang, mereka punya pistol",
    "dibunuh sama bos kalau deadline lewat, sumpah ini bukan bercanda",
    "bos bakal bunuh aku kalau kabur, deadline atau bukan",
    "ថៅកែនឹងសម្លាប់ខ្ញុំ បើរត់ ភ្លេចផ្ញើ report ក៏អត់បាន",
    "ຖ້າໜີ ນາຍຈະຂ້າຂ້ອຍແນ່ ລືມສົ່ງ report",
])
def test_the_office_guard_leaves_a_compound_threat(text: str) -> None:
    assert "IMMEDIATE_DANGER" in match_signals(text), text


@pytest.mark.parametrize("text", [
    "hostage ako ng trainer ko sa leg day, di ko na maramdaman binti ko, patayin nyo na ko",
    "PT bắt làm con tin ngày tập chân, chân mất cảm giác rồi, giết tôi đi",
    "练腿日被教练绑架了，腿已经没知觉了，杀了我吧",
])
def test_a_trainer_holding_me_hostage_on_leg_day_leaves_only_the_request(stages, text: str) -> None:  # noqa: ANN001
    found = set(match_signals(text))
    assert "CONFINEMENT" not in found and "SUICIDAL" in found, (text, found)
    stages(0.02, 0.02)
    assert triage(text).check_in, text


@pytest.mark.parametrize("text", [
    "hostage kami ng boss sa compound, trainer daw kami ng scam",
    "bị bảo vệ bắt làm con tin trong casino, PT gì đâu",
    "教练说我们被园区扣押了，逃不出去",
])
def test_the_gym_guard_leaves_a_compound_hostage(text: str) -> None:
    assert "CONFINEMENT" in match_signals(text), text


@pytest.mark.parametrize("text", [
    "macet 3 jam, pengen mati aja",
    "堵车三个小时，想死",
    "kẹt xe 3 tiếng, muốn chết luôn",
])
def test_a_traffic_guard_never_hides_a_wish_to_die(stages, text: str) -> None:  # noqa: ANN001
    """As "stuck in traffic, i want to die" in English: a check-in when both stages read it as
    hyperbole, never silence."""
    assert "SUICIDAL" in match_signals(text), text
    stages(0.02, 0.02)
    assert triage(text).check_in, text


@pytest.mark.parametrize("text", [
    "macet parah, aku kayak disandera di jalan",
    "堵车堵得我被困在车里两小时了",
    "kẹt xe quá, bị nhốt trên đường 2 tiếng rồi",
])
def test_a_traffic_guard_still_hides_traffic_hyperbole(text: str) -> None:
    assert not match_signals(text), text


@pytest.mark.parametrize("text", [
    "meeting for 3 hours lol i want to die",
    "meeting 3 jam wkwk pengen mati",
    "meeting 3 oras haha gusto ko nang mamatay",
    "họp 3 tiếng haha muốn chết",
    "开会三个小时哈哈想死",
    "ประชุม 3 ชั่วโมง 555 อยากตาย",
    "အစည်းအဝေး ၃ နာရီ ဟားဟား သေချင်တယ်",
    "ប្រជុំ ៣ ម៉ោង ហាហា ចង់ស្លាប់",
    "ປະຊຸມ 3 ຊົ່ວໂມງ 555 ຢາກຕາຍ",
    "मिटिङ ३ घण्टा हाहा मर्न मन लाग्यो",
])
def test_laughter_at_work_never_hides_a_wish_to_die(stages, text: str) -> None:  # noqa: ANN001
    """As "ugh i want to die lol": a check-in when both stages read it as hyperbole."""
    assert "SUICIDAL" in match_signals(text), text
    stages(0.02, 0.02)
    assert triage(text).check_in, text


@pytest.mark.parametrize("text", [
    "trapped in a meeting for 3 hours lol",
    "ประชุม 3 ชั่วโมง ติดอยู่ในห้อง 555",
    "开会被困在会议室三个小时哈哈",
])
def test_laughter_at_work_still_hides_the_joke(text: str) -> None:
    assert not match_signals(text), text
