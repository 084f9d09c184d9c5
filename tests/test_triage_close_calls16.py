"""Close calls that an emergency signal raised in cross-validation by batch (session 13,
close16-signals): a boss or a parent who "will kill me" over a report or an exam, a survivor's
past beating told beside "now I speak at schools / am safe", a match or a game lost, school
detention, a meeting that skipped lunch, guests "coming", "is that job dangerous?", and the
Khmer word for boss (ចៅហ្វាយ), whose letters hold វាយ (beat). Each guard or exception blanks
only the clause of the alarming word; the same words beside a compound, an escape, a beating
or a wish to die still count. All texts invented for these tests."""

from __future__ import annotations

import pytest

from bot.engines.triage import match_signals, triage

EMERGENCY = {"VIOLENCE", "IMMEDIATE_DANGER", "SOLD", "SUICIDAL", "FOOD_DENIED"}


@pytest.mark.parametrize("text", [
    # boss / parent hyperbole over a work item or an exam
    "my manager is going to kill me if this presentation slips past friday",
    "atasan bakal bunuh aku kalau presentasi besok gagal",
    "kalo nilai jelek lagi, ibu bisa bunuh aku",
    "kapag bumagsak ako sa board exam, papatayin ako ni tatay",
    "ប៉ានឹងវាយខ្ញុំហើយ បើគាត់ដឹងថាខ្ញុំប្រឡងធ្លាក់",
    "ນາຍຂ້າຂ້ອຍແນ່ ຖ້າສົ່ງລາຍງານຊ້າອີກ",
    "ဒီ deadline မမီရင် မန်နေဂျာ ငါ့ကို သတ်လိမ့်မယ်",
    "यो काम आज नसके हाकिमले मलाई मार्छ",
    "sếp giết em mất, việc dồn dập cả tháng, deadline liên tục",
    "tuần sau thi cuối kỳ chết chắc rồi",
    "下周期末考试，这次真的死定了",
    "没考好，我妈要打死我",
    # a survivor's past ordeal, safe now
    "three years ago they beat me in a compound in Myawaddy. now I volunteer with an NGO",
    "เคยโดนซ้อมที่ตึกในปอยเปตเมื่อสามปีก่อน ตอนนี้ปลอดภัยแล้ว อยู่กับครอบครัว",
    "កាលពីឆ្នាំ២០២២ ខ្ញុំត្រូវគេវាយនៅបាវិត ឥឡូវខ្ញុំនៅផ្ទះ សុខសប្បាយ",
    "năm ngoái mình bị đánh ở một casino bên Campuchia, giờ mình an toàn rồi",
    "tahun lalu aku dipukuli di Kamboja, sekarang aku jadi relawan di desa",
    "dati binugbog ako sa Cambodia noong 2022. ngayon ligtas na ako sa Batangas",
    "三年前我在妙瓦底被打过，现在在家很安全",
    # matches and games, school, a meeting, guests, a question about a job
    "my little brother beat me at chess again",
    "binugbog kami sa basketball kanina, 30 points ang lamang",
    "क्रिकेटमा भाइको टिमले हामीलाई कुट्यो",
    "ဘောလုံးပွဲ ရှုံးတာ ကြည့်ရတာ နှိပ်စက်ခံရသလိုပဲ",
    "xem trận chung kết mà bị tra tấn tinh thần cả hai hiệp",
    "dihukum berdiri di kelas sama guru karena telat",
    "कक्षामा सजाय पाएँ, होमवर्क नगरेकोले",
    "ကျောင်းမှာ ပြစ်ဒဏ်ပေးခံရတယ်၊ အိမ်စာ မလုပ်ခဲ့လို့",
    "ប្រជុំតាំងពីព្រឹក មិនទាន់បានញ៉ាំអីទេ",
    # "guests are coming" (ဧည့်သည်တွေ လာနေပြီ) no longer: in a compound the guests are clients
    # (review16b); it stays an allowed raise, see test_triage_review16.KNOWN_RAISED.
    "តើការងារនៅកូរ៉េតាមភ្នាក់ងារនេះមានគ្រោះថ្នាក់ទេ?",
    "ចៅហ្វាយខ្ញុំល្អណាស់ ឲ្យឈប់សម្រាកថ្ងៃសៅរ៍",
])
def test_an_everyday_clause_fires_no_emergency(text: str) -> None:
    assert not set(match_signals(text)) & EMERGENCY


@pytest.mark.parametrize("text", [
    # The same words with what only a cry has: a compound, an escape, a beating, still inside.
    "my manager will kill me if this report is late, they beat two guys from our compound "
    "last night, please help",
    "two years ago they brought me here and beat me. now i am still trapped, help",
    "bos bakal bunuh aku kalo laporan telat, kemarin temanku dipukuli penjaga di kompleks",
    "papatayin daw ako ng boss kapag tumakas ako, binugbog na nila yung kasama ko",
    "เคยโดนซ้อมที่ตึกเมื่อปีก่อน ตอนนี้ยังติดอยู่ที่เดิม ช่วยด้วย",
    "ចៅហ្វាយវាយខ្ញុំរាល់ថ្ងៃ ជួយផង",
    "គេឃុំខ្ញុំក្នុងបន្ទប់ប្រជុំ ៣ថ្ងៃហើយ មិនទាន់បានញ៉ាំអីសោះ",
    "ម៉ាក់ ខ្ញុំមានគ្រោះថ្នាក់ណាស់ ជួយខ្ញុំផង",
    "ဧည့်သည်တွေ မဟုတ်ဘူး သူတို့ လာနေပြီ ကယ်ပါ",
    "target မပြည့်ရင် ပြစ်ဒဏ်ပေးတယ်",
    "ນາຍຂ້າຂ້ອຍແນ່ ລາຍງານບໍ່ທັນ ມື້ວານຖືກຕີ",
    "भाग्न खोजे हाकिमले मलाई मार्छ भन्छ, कुटपिट पनि गर्छ",
    "nếu bị bắt lại khi trốn thì chết chắc, cứu em",
    "明天要是逃跑被抓，死定了，他们会打死我",
])
def test_a_cry_with_the_same_words_is_still_an_emergency(text: str) -> None:
    assert set(match_signals(text)) & EMERGENCY
    result = triage(text)
    assert result.distress and result.severity == "emergency"


@pytest.mark.parametrize("text", [
    "two years ago they beat me. now I am safe but I want to die",
    "เคยโดนซ้อมเมื่อปีก่อน ตอนนี้ปลอดภัยแล้ว แต่อยากตาย",
    "明天考试，死定了，真的不想活了",
    "kalo nilai jelek lagi, ibu bisa bunuh aku, aku pengen mati aja",
    "my boss will kill me if this report is late, i want to die",
])
def test_no_new_guard_hides_a_wish_to_die(text: str) -> None:
    result = triage(text)
    assert "SUICIDAL" in result.signals
    # the card, or a check-in (contacts and the caseworker question) when both stages read it as
    # hyperbole: an emergency either way
    assert result.reaches_out and result.case_severity == "emergency"


# Second round: urgent signals in everyday clauses, each with the same words in a cry.
@pytest.mark.parametrize(("text", "gone"), [
    ("nabasa ko sa Inquirer na may mga binugbog sa raid, paano sila tinutulungan?", "VIOLENCE"),
    ("may nakita raw na torture room sa POGO sa Tarlac, totoo ba?", "VIOLENCE"),
    ("ข่าวคนไทยโดนทุบตีที่ชายแดนเมื่อวาน ใครสรุปให้หน่อย", "VIOLENCE"),
    ("por yuet torasap pai laew", "DOCUMENTS_TAKEN"),
    ("mae yud tholasap khoy leo", "DOCUMENTS_TAKEN"),
    ("पार्किङमा गाडी राखेकोमा ट्राफिकले ५०० जरिवाना गर्‍यो", "DEBT_BONDAGE"),
    ("बुबाले पुरानो मोटरसाइकल बेच्नुभयो", "THREAT_OF_SALE"),
    ("अफिसले जबरजस्ती पार्टीमा लग्यो", "FORCED_LABOUR"),
    ("एउटा फिल्म छ, जहाँ मान्छेलाई कुट्छन्, नाम के हो?", "VIOLENCE"),
    ("news ma uddhar bhayeka nepali lai kutpit gareko thiyo re", "VIOLENCE"),
    ("ရုံးပါတီ အတင်းသွားရတယ်", "FORCED_LABOUR"),
    ("နောက်ကျလို့ ဒဏ်ကြေးဆောင်ရတယ်", "DEBT_BONDAGE"),
    ("အစည်းအဝေးထဲမှာ ဖုန်းသိမ်းထားတယ်", "DOCUMENTS_TAKEN"),
    ("bị nhốt ngoài nhà vì quên chìa khóa", "CONFINEMENT"),
    ("mẹ tịch thu điện thoại cả tuần", "DOCUMENTS_TAKEN"),
    ("công ty dọa cắt thưởng nếu đi trễ", "THREATS"),
    ("ធនាគាររឹបអូសឡានបងប្រុសខ្ញុំ", "DOCUMENTS_TAKEN"),
    ("ថៅកែគំរាមកាត់ប្រាក់រង្វាន់ខែនេះ", "THREATS"),
])
def test_an_everyday_clause_loses_its_signal(text: str, gone: str) -> None:
    assert gone not in match_signals(text)


@pytest.mark.parametrize(("text", "kept"), [
    ("binugbog kami dito sa POGO, tulungan nyo po kami", "VIOLENCE"),
    ("boss yuet torasap, khang wai nai tuek", "DOCUMENTS_TAKEN"),
    ("พวกมันยึดโทรศัพท์ผมไป ขังไว้ในตึก", "DOCUMENTS_TAKEN"),
    ("कम्पनीले हामीलाई अर्को कम्पनीलाई बेच्यो", "THREAT_OF_SALE"),
    ("काम नगरे जरिवाना भन्छन्, पासपोर्ट पनि खोसे", "DEBT_BONDAGE"),
    ("सबैलाई जबरजस्ती काम गराउँछन्, बाहिर जान दिँदैनन्", "FORCED_LABOUR"),
    ("သူဌေးက ဖုန်းသိမ်းထားတယ် အပြင်ထွက်ခွင့်မရှိဘူး", "DOCUMENTS_TAKEN"),
    ("bọn nó tịch thu điện thoại của em, nhốt trong phòng", "DOCUMENTS_TAKEN"),
    ("គេរឹបអូសលិខិតឆ្លងដែនខ្ញុំ", "DOCUMENTS_TAKEN"),
    ("ថៅកែគំរាមថាបើរត់នឹងសម្លាប់", "THREATS"),
])
def test_the_same_words_in_a_cry_keep_their_signal(text: str, kept: str) -> None:
    assert kept in match_signals(text)


# Third round: news questions, games and TV dramas whose alarming clause is the retelling.
@pytest.mark.parametrize(("text", "gone"), [
    ("watched a netflix documentary on the compounds. is it true they beat people there?",
     "VIOLENCE"),
    ("ข่าวที่คนงานโดนซ้อมที่ชายแดน จริงไหม", "VIOLENCE"),
    ("ຂ່າວ ບອກວ່າມີຄົນຖືກຕີຢູ່ຊາຍແດນ ແທ້ບໍ", "VIOLENCE"),
    ("game này boss cuối bị đánh hoài không chết", "VIOLENCE"),
    ("may laro sa phone na binubugbog mo yung zombies", "VIOLENCE"),
    ("binugbog kami ng kalaban sa finals", "VIOLENCE"),
    ("那部剧女主被关起来了，好虐", "CONFINEMENT"),
    ("被关在电梯里半小时", "CONFINEMENT"),
    ("这部剧里打人的戏太假了", "VIOLENCE"),
])
def test_a_retold_clause_loses_its_signal(text: str, gone: str) -> None:
    assert gone not in match_signals(text)


@pytest.mark.parametrize("text", [
    "is it true they beat people in those compounds? they beat my brother there, "
    "he is still inside",
    "ข่าวที่ว่าคนไทยโดนซ้อม ผมก็โดนซ้อมอยู่ตอนนี้ ช่วยด้วย",
    "ຂ່າວ ບອກວ່າມີຄົນຖືກຕີ ຂ້ອຍກໍຖືກຕີ ຊ່ວຍແດ່",
    "game này không phải game, bọn nó đánh em thật, cứu em",
    "may laro daw sabi ng boss pero binugbog nila kami, tulungan nyo kami",
    # "like in a film" is a cry's simile, not film talk: no film veto (MEDIA) for it.
    "parang sa pelikula, kinuryente kami kagabi",
])
def test_a_cry_beside_a_retelling_stays_an_emergency(text: str) -> None:
    result = triage(text)
    assert result.distress and result.severity == "emergency"


def test_a_drama_clause_leaves_a_plea_after_it() -> None:
    assert "CONFINEMENT" in match_signals("剧里女主被关起来，我现在也被关在园区里，救命")
