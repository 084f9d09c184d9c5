"""Job offers, families of blind batches 12-14 (issue #15), in new words and many languages.

An official scheme or a licence lowers risk but never clears an offer; a passport handed to a
ministry, embassy or licensed agency for the visa is not "the employer keeps your passport"; a
tourist visa named as forbidden is not the flag; bypassing the official scheme (no EPS exam, go
as a tourist) and coaching to deceive immigration are; hub towns have ordinary jobs at ordinary
local wages. None of these sentences is a batch row.
"""

from __future__ import annotations

import dataclasses

import pytest

from bot.engines.indicators import OfferCheck
from bot.engines.redflags import check_offer, rules

PATTERNS_ONLY = dataclasses.replace(rules(), learned=None)


def _check(text: str) -> OfferCheck:
    return check_offer(text, with_rules=PATTERNS_ONLY)


def _ids(text: str) -> set[str]:
    return {f.id for f in _check(text).flags}


@pytest.mark.parametrize("text", [
    "My daughter passed the EPS-TOPIK and signed her contract with a factory in Korea. Now the "
    "Ministry of Labour asks for her passport to apply for the E-9 visa. Is that safe?",
    "We applied through the hotel's official careers page, passed a written test and an interview "
    "at the hotel. HR now asks for a passport copy for the work visa.",
    "ក្មួយស្រីខ្ញុំប្រឡងជាប់ EPS ហើយ ក្រសួងការងារប្រាប់ឲ្យយកលិខិតឆ្លងដែនទៅដាក់ ដើម្បីធ្វើវីសាទៅកូរ៉េ។",
    "Con gái tôi đi Nhật theo chương trình thực tập sinh, công ty có giấy phép của Bộ Lao động. "
    "Công ty yêu cầu nộp hộ chiếu bản sao và giấy khám sức khỏe để xin visa.",
    "Anak saya lulus tes EPS, sudah tanda tangan kontrak kerja. Disnaker minta paspor untuk "
    "proses visa ke Korea.",
    "ลูกชายสอบผ่าน EPS แล้ว กระทรวงแรงงานให้นำหนังสือเดินทางไปยื่นเพื่อทำวีซ่า ทำสัญญาก่อนเดินทาง",
    "儿子通过了韩国EPS考试，签了劳动合同，现在劳动部让他把护照交上去办签证，正规吗？",
    "ကိုရီးယား EPS စာမေးပွဲ အောင်ပြီ၊ အလုပ်သမားဝန်ကြီးဌာနက ဗီဇာအတွက် ပတ်စ်ပို့ မိတ္တူ တောင်းတယ်။",
    "ລູກຊາຍສອບເສັງ EPS ຜ່ານແລ້ວ ກະຊວງແຮງງານໃຫ້ເອົາໜັງສືຜ່ານແດນໄປຍື່ນເພື່ອເຮັດວີຊາ",
    "छोरा EPS परीक्षा पास गर्यो, श्रम स्वीकृति लिने बेला वैदेशिक रोजगार विभागले पासपोर्ट भिसाको लागि "
    "मागेको छ।",
])
def test_a_passport_for_the_visa_through_an_official_channel_is_not_a_handover(text: str) -> None:
    check = _check(text)
    assert "PASSPORT_HANDOVER" not in {f.id for f in check.flags}
    assert check.risk == "low"


@pytest.mark.parametrize("text", [
    "Licensed agency. The company will keep your passport during the contract for safety. Work in "
    "Cambodia, free flight.",
    "Send a photo of your passport to our HR on Telegram to book your visa. Job in Laos, $1,200.",
    "Công ty có giấy phép, công ty giữ hộ chiếu của bạn trong thời gian làm việc ở Campuchia.",
])
def test_a_passport_kept_or_sent_to_a_chat_recruiter_still_is(text: str) -> None:
    assert "PASSPORT_HANDOVER" in _ids(text)
    assert _check(text).risk == "high"


@pytest.mark.parametrize("text", [
    "DMW-licensed direct hire for a Riyadh hospital, nurses SAR 6,000, employer pays visa and "
    "flight. Bawal ang tourist visa, working visa lang.",
    "Hotel housekeeping in Doha, licensed agency, free flight and accommodation. Tourist visas are "
    "strictly prohibited: employment visa only.",
    "Never travel on a tourist visa: the agency processes your work visa before you leave.",
    "Tuyển lao động đi Nhật, cấm đi bằng visa du lịch, chỉ visa lao động, công ty được cấp phép.",
    "Lowongan resmi ke Taiwan lewat P3MI berizin, dilarang pakai visa turis.",
    "รับสมัครแรงงานไปเกาหลีระบบ EPS ห้ามใช้วีซ่าท่องเที่ยว ค่าตั๋วเครื่องบินนายจ้างออกให้",
    "正规劳务派遣去新加坡，严禁使用旅游签，公司报销机票和住宿，签劳动合同。",
    "ជ្រើសរើសកម្មករទៅកូរ៉េតាម EPS ហាមប្រើវីសាទេសចរណ៍",
    "ຮັບສະໝັກແຮງງານໄປເກົາຫຼີ ຫ້າມໃຊ້ວີຊາທ່ອງທ່ຽວ ບໍລິສັດໄດ້ຮັບອະນຸຍາດ",
    "ဂျပန် ဆေးရုံ အလုပ်၊ တရားဝင် အေဂျင်စီ၊ ခရီးသွားဗီဇာ ခွင့်မပြု၊ အလုပ်ဗီဇာ",
    "कतारमा होटल काम, इजाजतप्राप्त एजेन्सी, भिजिट भिसामा नजानुहोस्, वर्क भिसा मात्र।",
])
def test_a_tourist_visa_named_as_forbidden_is_not_the_flag(text: str) -> None:
    assert "TOURIST_VISA" not in _ids(text)
    assert _check(text).risk == "low"


@pytest.mark.parametrize("text", [
    "Factory work in Korea $2,200 a month, no EPS exam needed, go as a tourist first and we fix "
    "the work visa there. Fee $2,500.",
    "ការងារនៅកូរ៉េ ប្រាក់ខែ ១៨០០$ មិនបាច់ប្រឡង EPS ទៅជាទេសចរ ហើយធ្វើវីសាការងារឲ្យក្រោយ",
    "Đi Hàn Quốc làm nhà máy lương 45 triệu, không cần thi EPS, đi visa du lịch rồi sang đó làm "
    "giấy tờ.",
    "Kerja pabrik di Korea tanpa tes EPS, berangkat pakai visa turis, gaji 30 juta.",
    "韩国工厂直招，月薪1.5万，不用考EPS，先旅游签过去，到了再办工签。",
    "कोरियामा कारखाना काम, EPS परीक्षा नदिई जान सकिन्छ, भिजिट भिसामा गएर काम, ३ लाख तिर्नुहोस्।",
    "Trabaho sa Korea factory, walang EPS, tourist visa muna, 150k bayad.",
    "งานโรงงานเกาหลี ไม่ต้องสอบ EPS ไปแบบนักท่องเที่ยว เงินเดือน 70,000 บาท",
])
def test_bypassing_the_official_scheme_is_flagged(text: str) -> None:
    assert "IMPLAUSIBLE_PROMISE" in _ids(text)
    assert _check(text).risk == "high"


@pytest.mark.parametrize("text", [
    "Just tell immigration you're on holiday in Bangkok, we give you a return ticket. Then our car "
    "takes you to Mae Sot for the office job.",
    "Cứ khai với hải quan là đi du lịch Thái Lan, sang đó có xe đón về công ty, lương 30 triệu.",
    "บอก ตม. ว่าไปเที่ยว แล้วจะมีรถมารับไปทำงานที่แม่สอด เงินเดือน 40,000",
    "跟海关说去旅游，到了曼谷有人接你去公司，月薪两万。",
    "Wag mong babanggitin na may trabaho ka, sabihin mo lang sa immigration na magbabakasyon ka. "
    "May susundo sa'yo sa Bangkok.",
])
def test_coaching_to_deceive_immigration_is_flagged(text: str) -> None:
    assert "TOURIST_VISA" in _ids(text)
    assert _check(text).risk != "low"


@pytest.mark.parametrize("text", [
    "Anak ko, wag ka dumaan sa NAIA, mag-bangka ka na lang sa Zamboanga papuntang Sabah, tapos "
    "lipad sa Cambodia. 30k ang fee.",
    "jiali bie shuo, zou xiaolu guo qu miandian, yuexin san wan",
])
def test_back_door_exits_are_flagged(text: str) -> None:
    assert "ILLEGAL_CROSSING" in _ids(text)
    assert _check(text).risk == "high"


@pytest.mark.parametrize("text", [
    "cashier job mae sot 11k baht",
    "Shop assistant in Mae Sot market, 9,000 baht, walk-in.",
    "rab samak mae ban mae sot ngern duan 9000",
    "trov ka neak lang chan nov Siem Reap 180$",
    "Call center agents wanted in Makati, ₱22,000 monthly plus HMO, walk-in interview at our "
    "office.",
    "xiaoqu zhao baoan, yuexin 4000, you shebao, mianshi zai wuye bangongshi",
])
def test_ordinary_jobs_at_local_wages_stay_low(text: str) -> None:
    assert check_offer(text).risk == "low"
