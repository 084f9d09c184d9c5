"""Job offers, the border-route family of blind batch 15 (issue #15), in new words.

An irregular route from a border town (Mae Sot, Mae Sai, Chiang Khong, Huay Xai...) "across the
river / by boat / by a small road" to the workplace is a crossing; "no work permit needed" is
working without papers (like a tourist visa); a broker fee "paid from your first salary" is a debt
carried into the job. A work permit named only to say it is not needed (or missing) is no
reassurance, so the learned opinion's stricter threshold for reassured ads does not apply.
Ordinary neighbours stay low: MOU jobs via licensed agencies, questions about getting a work
permit, border-town jobs at local wages. None of these sentences is a batch row.
"""

from __future__ import annotations

import dataclasses

import pytest

from bot.engines.indicators import MITIGATION
from bot.engines.patterns import fold
from bot.engines.redflags import check_offer, rules
from bot.engines.text import normalize
from tests.helpers import FixedOfferModel

PATTERNS_ONLY = dataclasses.replace(rules(), learned=None)


def _ids(text: str) -> set[str]:
    return {f.id for f in check_offer(text, with_rules=PATTERNS_ONLY).flags}


@pytest.mark.parametrize("text", [
    "My cousin says a noodle shop over the border pays well. He will meet me in Mae Sot, then we "
    "cross the river to the shop. No work permit needed, the agent's fee comes out of my first "
    "salary.",
    "Job at a hotel near Mae Sai. A driver picks you up, you go by small boat and the hotel is "
    "right there. You don't need a work permit.",
    "เพื่อนชวนไปทำงานร้านอาหาร ให้ไปรอที่แม่สอด แล้วนั่งเรือข้ามไปฝั่งโน้น ไม่ต้องมีใบอนุญาตทำงาน "
    "ค่านายหน้าหักจากเงินเดือนเดือนแรก",
    "ngan ran ahan, rai dai dee, pai roh tee mae sot laew kham mae nam pai loey, mai tong mee work "
    "permit, jai tee lang dai ngern duan",
    "မဲဆောက်ကနေ လှေနဲ့ကူးပြီး စားသောက်ဆိုင်မှာ အလုပ်လုပ်ရမယ်၊ ပါမစ်မလိုဘူး၊ ပွဲခကို ပထမလ လစာကနေ ဖြတ်မယ်",
    "បងប្អូនខ្ញុំថា មានការងារនៅភោជនីយដ្ឋាន ឆ្លងស្ទឹងទៅដល់កន្លែងធ្វើការតែម្ដង "
    "មិនចាំបាច់មានលិខិតអនុញ្ញាតការងារ បង់ថ្លៃមេខ្យល់ក្រោយបានប្រាក់ខែ",
    "ໝູ່ຊວນໄປເຮັດວຽກຮ້ານອາຫານ ໄປທາງຫ້ວຍຊາຍ ນັ່ງເຮືອຂ້າມໄປ ບໍ່ຕ້ອງມີໃບອະນຸຍາດເຮັດວຽກ "
    "ຄ່ານາຍໜ້າຈ່າຍຫຼັງໄດ້ເງິນເດືອນ",
    "Chị họ rủ em sang làm quán ăn, lên Mae Sai rồi đi thuyền qua bên kia biên giới, không cần "
    "giấy phép lao động, phí môi giới trừ vào lương tháng đầu.",
    "Kerja di restoran, kumpul di Mae Sot lalu nyeberang sungai ke tempat kerja. Tidak perlu izin "
    "kerja, biaya agen dibayar dari gaji pertama.",
    "May trabaho daw sa restaurant, sa Mae Sot tatawid ng ilog papunta sa trabaho. Hindi "
    "kailangan ng work permit, babayaran ang fee sa unang sahod.",
    "朋友介绍去餐馆打工，先到湄索，过河就到工厂，不用办工作许可，中介费发了工资后再付。",
    "साथीले रेस्टुरेन्टमा काम छ भन्यो, मे सोट पुगेपछि नदी पार गरेर काममा जाने, वर्क परमिट चाहिँदैन, "
    "एजेन्ट शुल्क पहिलो तलबबाट काटिन्छ।",
    "gongzuo zai canting, dao mae sot guo he jiu dao gongsi, bu yong ban gongzuo zheng",
    "kaam restaurant ma, mae sot bata nadi paar, work permit chaidaina, pahilo talab payepachi "
    "tirne",
])
def test_an_irregular_border_route_without_papers_is_high_risk(text: str) -> None:
    check = check_offer(text, with_rules=PATTERNS_ONLY)
    assert check.risk == "high"
    assert {"ILLEGAL_CROSSING", "TOURIST_VISA", "COSTS_DEDUCTED"} & {f.id for f in check.flags}


@pytest.mark.parametrize(("text", "flag"), [
    ("Meet our driver in Chiang Khong, then by boat across the Mekong to the casino.",
     "ILLEGAL_CROSSING"),
    ("You cross the river and you're at the company, it's 10 minutes.", "ILLEGAL_CROSSING"),
    ("Qua cầu là tới công ty luôn, không phải làm thủ tục gì.", "ILLEGAL_CROSSING"),
    ("Work permit not required for this job in Thailand.", "TOURIST_VISA"),
    ("Không cần làm giấy phép lao động, cứ sang là làm.", "TOURIST_VISA"),
    ("不需要工作签证，直接过去上班。", "TOURIST_VISA"),
    ("Placement fee of 20,000 will be deducted from your first salary.", "COSTS_DEDUCTED"),
    ("Phí dịch vụ trả sau khi nhận lương.", "COSTS_DEDUCTED"),
    ("Biaya sponsor dicicil setelah gajian pertama.", "COSTS_DEDUCTED"),
])
def test_each_sign_of_the_family_alone(text: str, flag: str) -> None:
    assert flag in _ids(text)


@pytest.mark.parametrize("text", [
    "My brother got a factory job in Thailand under the MOU through a licensed agency; work "
    "permit and visa are processed before departure. Is this normal?",
    "How do I get a work permit to work legally in Thailand? I'm from Myanmar.",
    "Cashier wanted at a mini mart in Mae Sot, 9,500 baht a month, Thai or Burmese speaker.",
    "ต้องการพนักงานร้านกาแฟ แม่สาย เงินเดือน 11,000 บาท สมัครด้วยตนเองที่ร้าน",
    "Em muốn đi làm ở Thái Lan hợp pháp, làm giấy phép lao động thế nào ạ?",
    "Saya mau kerja di Malaysia, bagaimana cara mengurus izin kerja yang resmi lewat BP2MI?",
    "ကျွန်တော် ထိုင်းမှာ အလုပ်ပါမစ် ဘယ်လိုလုပ်ရမလဲ၊ MOU နဲ့ သွားချင်တယ်",
    "តើធ្វើដូចម្ដេចដើម្បីទទួលបានលិខិតអនុញ្ញាតការងារនៅថៃ តាមរយៈ MOU ស្របច្បាប់?",
    "ຢາກໄປເຮັດວຽກຢູ່ໄທ ແບບ MOU ຜ່ານບໍລິສັດຈັດຫາງານທີ່ຖືກຕ້ອງຕາມກົດໝາຍ ຕ້ອງເຮັດໃບອະນຸຍາດເຮັດວຽກແນວໃດ?",
    "Paano kumuha ng work permit para makapagtrabaho nang legal sa Thailand?",
    "我想合法去泰国工作，工作许可怎么办理？",
    "Teacher wanted in Mae Sot migrant school, 8,000 baht a month, live on campus.",
    "Waitress at a guesthouse in Chiang Khong, 9,000 baht plus tips, apply in person.",
])
def test_ordinary_neighbours_stay_low(text: str) -> None:
    assert check_offer(text).risk == "low"
    assert check_offer(text, with_rules=PATTERNS_ONLY).risk == "low"


@pytest.mark.parametrize("text", [
    "Không cần làm giấy phép lao động, quán bên đó nhận luôn.",
    "Em chưa có giấy phép lao động, có làm được không?",
    "ไม่ต้องมีใบอนุญาตทำงานก็ทำได้",
    "不用办工作许可。",
    "Tidak perlu urus visa kerja.",
    "Walang working visa, ok lang.",
    "Direct hire po kami, walang OEC, alis sa Biyernes.",
    "No need OEC, we handle everything for you.",
])
def test_a_permit_named_as_not_needed_or_missing_is_no_reassurance(text: str) -> None:
    found = rules().matcher.first_matches(fold(normalize(text)))
    assert MITIGATION not in found


@pytest.mark.parametrize("text", [
    "Con muốn sang Mae Sot làm phục vụ quán ăn, con chưa có giấy phép lao động thì sao ạ?",
    "Restaurant staff in Mae Sot, ไม่มีใบอนุญาตทำงานก็ได้",
])
def test_the_model_raises_an_ad_whose_only_reassurance_is_a_missing_permit(text: str) -> None:
    """The stricter threshold is for a checkable reassurance; a missing permit is not one."""
    assert check_offer(text, "vi", with_model=FixedOfferModel(0.85)).risk == "medium"


def test_a_permit_that_is_arranged_still_reassures() -> None:
    found = rules().matcher.first_matches(fold(normalize(
        "Bộ Lao động cấp phép, có giấy phép lao động và visa lao động trước khi đi.")))
    assert MITIGATION in found
