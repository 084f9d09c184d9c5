"""Job offers: batches 3 to 7 and 9 to 11 and the project's own close calls after tuning (issue
#15), and the mechanisms that raised specificity (hub towns, kept passports, legal wages, ranges)
and recall on short lures (hub + vague role, urgency abroad, romanised and pinyin cues)."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pytest

from bot import LANGUAGES
from bot.content import CONTENT_DIR as CONTENT
from bot.content import ContentError
from bot.engines.amounts import extract_amounts
from bot.engines.indicators import load_rules
from bot.engines.places import PLACES_FILE, load_places
from bot.engines.redflags import check_offer

DATA = Path(__file__).resolve().parent / "data"
BATCH3 = DATA / "blind" / "offers_batch3.jsonl"
BATCH4 = DATA / "blind" / "offers_batch4.jsonl"
BATCH5 = DATA / "blind" / "offers_batch5.jsonl"  # blind batch 5: tuning data since 03:39
BATCH6 = DATA / "blind" / "offers_batch6.jsonl"  # blind batch 6: measured held out, then released
BATCH7 = DATA / "blind" / "offers_batch7.jsonl"  # blind batch 7: measured before tuning, released
BATCH9 = DATA / "blind" / "offers_batch9.jsonl"  # blind batch 9: measured before tuning, released
BATCH10 = DATA / "blind" / "offers_batch10.jsonl"  # blind batch 10: measured held out, released
BATCH11 = DATA / "blind" / "offers_batch11.jsonl"  # blind batch 11: measured blind, released
OWN = DATA / "offers_tuning.jsonl"


def _stats(path: Path) -> dict[str, list[int]]:
    """Per language: [risky, caught, ordinary, passed]."""
    stats: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        flagged = check_offer(row["text"]).risk != "low"
        s = stats[row["lang"]]
        if row["label"] == "risky":
            s[0] += 1
            s[1] += flagged
        else:
            s[2] += 1
            s[3] += not flagged
    return stats


@pytest.mark.parametrize(
    "path", [BATCH3, BATCH4, BATCH5, BATCH6, BATCH7, BATCH9, BATCH10, BATCH11, OWN],
    ids=["batch3", "batch4", "batch5", "batch6", "batch7", "batch9", "batch10", "batch11", "own"],
)
def test_tuned_sets_keep_every_risky_offer_and_pass_ordinary_ones(path: Path) -> None:
    """Tuned on (so not blind): every risky offer caught, at most one false alarm per language."""
    stats = _stats(path)
    for lang in LANGUAGES:
        risky, caught, ordinary, passed = stats[lang]
        assert risky and caught == risky, (lang, stats[lang])
        assert passed >= ordinary - 1, (lang, stats[lang])
    assert sum(s[3] for s in stats.values()) >= sum(s[2] for s in stats.values()) - 1


def _ids(text: str) -> set[str]:
    return {f.id for f in check_offer(text).flags}


def test_a_hub_town_alone_is_not_a_flag_but_with_another_sign_it_is() -> None:
    """Ordinary life goes on in Poipet; a chat job with a free trip there does not."""
    ordinary = check_offer("Cashier wanted at a supermarket in Poipet. Apply at the store.")
    assert ordinary.risk == "low"
    risky = check_offer("Chat job in Poipet, free ticket and room, contact Telegram.")
    assert risky.risk != "low"
    assert check_offer("Work in KK Park, contact me.").risk != "low"  # a compound, not a town


@pytest.mark.parametrize("text", [
    "Passports are kept by the workers themselves; you keep your own passport.",
    "Paspor dipegang pekerja sendiri.",
    "Người lao động tự giữ hộ chiếu.",
    "ลูกจ้างเก็บหนังสือเดินทางเอง",
    "护照由本人保管，本人保管护照。",
    "Apply in person at our office with your CV and passport copy.",
])
def test_a_passport_the_worker_keeps_is_not_a_handover(text: str) -> None:
    assert "PASSPORT_HANDOVER" not in _ids(text)


@pytest.mark.parametrize("text", [
    "The company will keep your passport during the contract.",
    "Send a photo of your passport on Telegram.",
    "Paspor akan ditahan perusahaan.",
    "Công ty giữ hộ chiếu.",
    "护照由公司统一保管。",
])
def test_a_passport_the_company_keeps_or_asks_for_online_still_is(text: str) -> None:
    assert "PASSPORT_HANDOVER" in _ids(text)


@pytest.mark.parametrize("text", [
    "Employment visa (not visit visa) processed by the employer.",
    "Employment visa, hindi visit visa.",
    "रोजगार भिसा (भिजिट भिसा होइन)।",
    "办理工作签证，不走旅游签证。",
])
def test_a_visit_visa_named_to_say_it_is_not_used_is_not_a_flag(text: str) -> None:
    assert "TOURIST_VISA" not in _ids(text)


def test_hub_and_chat_app_is_flagged_unless_a_named_job_has_a_fair_wage() -> None:
    """hub_and_chat_app (indicators.yml) raises it; a fair wage for a named job lowers it."""
    assert check_offer("งานแม่สอด รายได้ดี ทักไลน์").risk != "low"
    assert check_offer("Typing job in Poipet, $300/month, Telegram").risk != "low"
    shop = "Mini-mart in Poipet needs a cashier, $200/month, WhatsApp the owner."
    assert check_offer(shop).risk == "low"
    kept = "Factory job in Malaysia, RM 1,800/month, the company keeps your passport."
    assert check_offer(kept).risk == "high"  # a fair wage never clears a hard flag


def test_a_licence_lowers_but_never_clears_a_hard_flag() -> None:
    text = ("Licensed agency, License No. 201-LB. Office staff for Bangkok, 35,000 THB. Go on a "
            "tourist visa first, the employer converts it after arrival.")
    assert check_offer(text).risk != "low"


def test_legal_wages_abroad_and_at_home_are_not_high_pay() -> None:
    for text in (
        "Factory operators in Taoyuan, Taiwan, TWD 28,590/month.",
        "ဟိုတယ်တွင် ဧည့်ကြို၊ တာချီလိတ်မြို့၊ လစာ ဘတ် ၉,၀၀၀ - ၁၁,၀၀၀။",  # baht: a Thai wage
        "北京家庭招聘住家保姆，月薪7000元，包吃住，每周休息一天。",
        "Hotel front desk supervisor in Cambodia, $700–$850/month, 2 years hotel experience.",
    ):
        assert "HIGH_PAY_LOW_SKILL" not in _ids(text), text
    assert "HIGH_PAY_LOW_SKILL" in _ids("Typing job in Cambodia, $1,500–$3,000 a month.")


def test_a_range_marks_its_top_and_the_period_stays_in_its_clause() -> None:
    low, high = extract_amounts("Salary $700–$850/month")
    assert (low.value, low.range_top, high.value, high.range_top) == (700, False, 850, True)
    (amount,) = extract_amounts("月薪7000元，包吃住，每周休息一天", "zh")
    assert amount.period == "month"


def test_offer_weight_is_the_offer_check_s_and_hub_weight_stays_triage_s(tmp_path: Path) -> None:
    """A town's weight alone in an offer is low; the hub order triage picks a country by is not."""
    index = load_places()
    assert index.places["poipet"].offer_weight < 0.3 <= index.places["kk_park"].offer_weight
    assert index.places["myawaddy"].hub_weight > index.places["mae_sot"].hub_weight
    shipped = (CONTENT / PLACES_FILE).read_text(encoding="utf-8")
    (tmp_path / PLACES_FILE).write_text(
        shipped.replace("offer_weight: 0.2", "offer_weight: high", 1), encoding="utf-8"
    )
    with pytest.raises(ContentError) as error:
        load_places(tmp_path)
    assert "places.yml" in str(error.value) and "myawaddy" in str(error.value)
    assert "offer_weight" in str(error.value)


@pytest.mark.parametrize("text", [
    "Game tester job in Myawaddy, good pay, you can leave tomorrow.",  # hub + vague role + urgency
    "Need a Chinese translator in Laukkaing. 9,000 yuan a month.",  # hub + vague role
    "ต้องการคนเทสเกมที่เมียวดี เดินทางได้เลยพรุ่งนี้",
    "Malaysia ma data entry, bholi nai jana milcha, inbox",  # vague role + "fly tomorrow" abroad
    "Crypto support staff wanted in Dubai, USD 1,500, tourist visa first, work visa later.",
    "wo biaojie zai jianpuzhai, laoban que ren da zi, jipiao baoxiao, bie gen ba ma shuo",
    "pee mee ngan hai tam tee Myanmar, kin yu free, ya bok mae",  # romanised Thai
])
def test_short_lures_with_few_details_are_flagged(text: str) -> None:
    """Written for this test (not from a batch): the families batch 5 missed, phrased anew."""
    assert check_offer(text).risk != "low", text


@pytest.mark.parametrize("text", [
    "Part-time VA, 3 hours a day, $8/hr via Upwork. Zoom interview.",  # hourly, part-time
    "Macau resort hiring table games dealers, MOP 17,000 a month, paid training, "
    "interview at the resort.",
    "Translator with work permit for a bank in Poipet, interview at the bank office, USD 600.",
])
def test_ordinary_jobs_near_the_new_combinations_stay_low(text: str) -> None:
    """A stated part-time day scales an hourly rate; MOP is read as MOP; due process lowers."""
    assert check_offer(text).risk == "low", text


def test_good_pay_without_a_figure_counts_only_in_a_hub_and_only_without_a_wage() -> None:
    """hub_and_vague_pay: "good salary" and nothing to check it against, in a hub town."""
    assert check_offer("Jobs in Myawaddy, good salary, come quickly").risk != "low"
    assert check_offer("งานปอยเปต เงินดี ทำงานสบาย").risk != "low"
    hotel = "Hotel in Sihanoukville hiring waiters, good salary $400, apply at the hotel"
    assert "VAGUE_PAY_PROMISE" not in _ids(hotel) and check_offer(hotel).risk == "low"
    assert check_offer("Good salary and benefits, accountant in Manila, 3 years experience."
                       ).risk == "low"


# The batch-6 round: new sentences (not batch 6's) for each family it missed or over-flagged.

@pytest.mark.parametrize("text", [
    "Korea EPS manufacturing worker, 2,096,270 KRW/month minimum wage, via HRD Korea, "
    "EPS-TOPIK test required.",
    "Đơn hàng Đài Loan nhà máy điện tử, lương 28.590 Đài tệ/tháng, hợp đồng 3 năm.",
    "日本技能实习生，食品加工，月薪18万日元，签订合同后出发。",
    "Lương cơ bản 180.000 yên/tháng, đơn hàng Aichi. Trụ sở: 56 Trần Duy Hưng, Hà Nội.",
    "Singapore construction worker, S$1,400/month basic, work permit by employer.",
    "Dubai hotel housekeeping attendant, AED 1,800 + accommodation and transport, "
    "employment visa.",
    "Cruise line hiring assistant waiters, USD 1,100/month plus tips, STCW required.",
    "ရန်ကုန် စားသောက်ဆိုင် စားပွဲထိုး လစာ ကျပ် ၃ သိန်း ၅ သောင်း၊ နေစရာ ပေးမည်",
    "ហាងកាហ្វេនៅសៀមរាប ត្រូវការអ្នករត់តុ ប្រាក់ខែ ១,០០០,០០០ រៀល",
    "ຮ້ານອາຫານໃນວຽງຈັນ ຮັບພະນັກງານເສີບ ເງິນເດືອນ 3,000,000 ກີບ",
    "काठमाडौंको होटलमा वेटर चाहियो, तलब २५,००० रुपैयाँ",
    "Remote customer support for a US SaaS company, $5/hour, 20 hrs per week, via Upwork.",
    "Freelance graphic designer on Fiverr, $15/hr, flexible hours.",
    "URGENT HIRING! Customer service representatives for a BPO in Pasig, ₱22,000 + HMO, no "
    "experience needed, fresh grads welcome. Message us on Facebook.",
    "Retail chain hiring store staff: 1 week training in Bangkok, then posted to our Chiang Mai "
    "branch. 13,000 THB + social security.",
    "บริษัทค้าปลีกรับพนักงานขาย สาขาเชียงใหม่ อบรมที่กรุงเทพ 1 สัปดาห์ แล้วประจำสาขา "
    "เงินเดือน 13,000 บาท",
])
def test_legal_wages_by_currency_and_at_home_are_not_bait(text: str) -> None:
    """Pay read in its own currency (yen, won, NT$, kyat, riel, kip), ship crews at sea wages,
    a part-time week's hourly rate, skilled freelance work: none of them is high pay."""
    assert check_offer(text).risk == "low", check_offer(text).to_dict()


@pytest.mark.parametrize(("ordinary", "risky"), [
    ("ห้ามยึดหนังสือเดินทางของลูกจ้าง โรงงานที่สมุทรสาคร MOU ค่าแรงวันละ 400 บาท",
     "บริษัทจะยึดหนังสือเดินทางไว้ตลอดสัญญา โรงงานที่มาเลเซีย"),
    ("Kerja kebun sawit di Malaysia, gaji RM1.700, resmi lewat P3MI, tidak melalui jalur tikus.",
     "Kerja kebun sawit di Malaysia, berangkat lewat jalur tikus, bayar di muka."),
    ("Factory in Johor: we never hold workers' passports. RM 1,800 basic, EPF SOCSO.",
     "Factory in Johor: the company will hold your passport. RM 1,800 basic."),
    ("រោងចក្រកាត់ដេរនៅភ្នំពេញ ប្រាក់ខែ ២០៨$ មិនត្រូវបង់លុយឲ្យមេខ្យល់ទេ",
     "ទៅធ្វើការថៃ បង់ថ្លៃមេខ្យល់ ៥០០០ បាត មុនចេញដំណើរ មានគេនាំឆ្លង"),
])
def test_a_rule_against_the_bad_thing_is_not_the_bad_thing(ordinary: str, risky: str) -> None:
    """"Passports are never held", "not through rat routes", "pay no broker" (unless-masks)."""
    assert check_offer(ordinary).risk == "low", check_offer(ordinary).to_dict()
    assert check_offer(risky).risk != "low", check_offer(risky).to_dict()


def test_a_capital_hub_adds_its_weight_but_no_combination() -> None:
    """Phnom Penh (offer weight below hub_combination_floor): a call centre there is a job."""
    assert check_offer("Call centre agents for a telecom in Phnom Penh, $300/month, "
                       "apply on CamHR.").risk == "low"
    assert check_offer("ក្រុមហ៊ុនត្រូវការ Call Center Agent នៅភ្នំពេញ ប្រាក់ខែ ៣០០$").risk == "low"
    thai = "งานแอดมินที่พนมเปญ บินฟรี ที่พักฟรี ไม่ต้องมีประสบการณ์ ทักเทเลแกรม"
    assert check_offer(thai).risk != "low"  # abroad, with its own signs
    assert check_offer("Call centre agents in Poipet, $300/month.").risk != "low"  # a hub town


@pytest.mark.parametrize("text", [
    "Perusahaan fintech di Dubai cari CS berbahasa Indonesia, gaji USD 2.000, tiket dan visa "
    "ditanggung, setelah training 2 minggu ditempatkan di kantor regional Asia Tenggara. "
    "Hubungi via WhatsApp.",
    "บริษัทเทรดดิ้งในดูไบรับแอดมินพูดไทย เงินเดือน 60,000 บาท บินฟรี อบรมที่ดูไบ 2 สัปดาห์ "
    "แล้วส่งไปออฟฟิศที่เอเชียตะวันออกเฉียงใต้ ทักไลน์",
    "Công ty công nghệ tài chính tại Singapore tuyển CSKH, lương 1.800 USD, bao vé máy bay, "
    "sau đào tạo sẽ chuyển sang chi nhánh ở nước khác, liên hệ Telegram.",
    "Dubai fintech ma customer support, talab 2000 dollar, ticket visa company le, training "
    "pachi Southeast Asia ko office ma pathaucha, WhatsApp garnu",
    "Miandian bei gongsi zhao ren, bu yao jing yan, yue xin liang wan, bao chi bao zhu, "
    "jia wei xin",
    "Công ty ở Dubai tuyển CSKH, lương 2.000 USD, hộ chiếu sẽ do quản lý giữ, liên hệ Zalo.",
    "Ngan chat support, fuek thi Bangkok 1 athit laew song pai office jing, tak Line",
    "ညီမ အမ အခု မြဝတီမှာ အလုပ်လုပ်နေတယ်။ သူဌေးက လူ ၂ ယောက် လိုနေတယ်။ ကားခ အရင်စိုက်ပေးမယ်၊ "
    "လစာထဲက ပြန်ဖြတ်မယ်။ အမေ့ကို မပြောနဲ့ဦး။",
    "ប្អូន បងកំពុងធ្វើការនៅបាវិត ថៅកែខ្វះមនុស្ស ២នាក់ ថ្លៃឡានបងចេញឲ្យមុន ចាំកាត់ពីប្រាក់ខែ "
    "កុំទាន់ប្រាប់ម៉ែ",
    "Mee viak online yu Bokeo, bo tong mee pasobkan, ngeun deuan 800 dollar, ya bok pho mae",
    "Tita, boss ko dito sa Dubai need pa ng 2 helper, libre ticket, bawas na lang sa sweldo "
    "pagdating.",
    "दुबईमा राम्रो काम, तलब १ लाख ५० हजार, अनुभव चाहिँदैन, टिकट कम्पनीले, भोलि नै उड्ने",
    "Training in Bangkok 2 weeks, then you work at our branch in Myanmar. Telegram.",
    "อบรมที่กรุงเทพ 1 สัปดาห์ แล้วส่งไปสาขาที่พม่า ตั๋วฟรี ทักไลน์",
    "Tov thver ka nov Thai, min trov ka passport te, mean neak nam chhlong, bong luy mun",
])
def test_onward_postings_pinyin_and_relatives_lures_are_flagged(text: str) -> None:
    """Trained in one place then posted to "South-East Asia" / "the real office"; passports
    kept by HR; pinyin (缅北 = mian bei, N wan); a relative who fronts the fare then deducts it."""
    assert check_offer(text).risk != "low", text


@pytest.mark.parametrize(("home", "abroad_or_hub"), [
    ("Tuyển nhân viên bán hàng showroom ô tô, lương 10 triệu + hoa hồng, thu nhập trên 20 triệu.",
     "Tuyển sale online sang Campuchia, lương 30 triệu + hoa hồng, bao vé"),
    ("รับสมัครพนักงานขายประกันในกรุงเทพ รายได้ 30,000-50,000 บาท (รวมค่าคอมมิชชั่น)",
     "งานขายออนไลน์ที่กัมพูชา รายได้ 50,000 บาท รวมค่าคอม บินฟรี"),
    ("深圳房产中介招聘置业顾问，底薪4000+高提成，月入过万不是梦。",
     "柬埔寨西港招聘业务员，底薪1万+高提成，包机票"),
    ("ក្រុមហ៊ុនលក់ដី ត្រូវការភ្នាក់ងារលក់ ប្រាក់ខែ ៣០០$ + កម្រៃជើងសារ រហូតដល់ ២០០០$",
     "ការងារលក់អនឡាញនៅក្រុងព្រះសីហនុ ប្រាក់ខែ ១៥០០$ + កម្រៃជើងសារ"),
])
def test_commission_at_home_is_a_ceiling_abroad_or_in_a_hub_it_is_bait(
    home: str, abroad_or_hub: str
) -> None:
    """context.variable_pay: a sales job's commission at home is not high pay; abroad it is."""
    assert check_offer(home).risk == "low", check_offer(home).to_dict()
    assert check_offer(abroad_or_hub).risk != "low", check_offer(abroad_or_hub).to_dict()


# The batch-7 round: new sentences (not batch 7's) for each family it missed or over-flagged.

@pytest.mark.parametrize("text", [
    "Licensed agency (License No. 0456). Hotel housekeeping in Doha, QAR 1,500. Bring your CV, "
    "diploma and passport copy to our office.",
    "Công ty được cấp phép, đơn hàng Nhật điều dưỡng, nộp sơ yếu lý lịch, bằng cấp và bản sao "
    "hộ chiếu tại văn phòng.",
    "正规劳务公司招聘日本护工，需提供简历、学历证书、护照复印件。",
    "บริษัทจัดหางานที่ได้รับอนุญาต งานแม่บ้านโรงแรมที่กาตาร์ เตรียมบัตรประชาชน และสำเนาพาสปอร์ตมาสมัคร",
    "Perusahaan P3MI berizin, kerja pabrik di Korea, siapkan ijazah, KTP dan fotokopi paspor.",
])
def test_a_passport_copy_among_a_licensed_application_s_documents_is_not_a_handover(
    text: str,
) -> None:
    """context.application: the copy is a document of the application, not the passport."""
    assert "PASSPORT_HANDOVER" not in _ids(text), check_offer(text).to_dict()


@pytest.mark.parametrize("text", [
    "Licensed agency (License No. 0456). Bring your CV and passport copy; the company will keep "
    "your passport during the contract.",
    "Send your CV, certificates and passport copy on Telegram.",  # no licence, a chat app
    "Upload your CV and passport scan here, we arrange everything.",  # no licence
    "正规劳务公司，需提供简历、护照复印件，到了以后护照由公司统一保管。",
])
def test_a_kept_passport_or_one_sent_without_a_licence_still_is(text: str) -> None:
    assert "PASSPORT_HANDOVER" in _ids(text), check_offer(text).to_dict()


@pytest.mark.parametrize(("ordinary", "risky"), [
    ("rap samak phanakngan ran ahan thi phuket ngoen duean 12000 tham 6 wan yud 1 wan",
     "laowo jinsanjiao zhao fanyi, baochibaozhu, jia feiji"),
])
def test_romanised_days_are_not_pay_and_pinyin_places_are_places(ordinary: str, risky: str) -> None:
    """"6 wan" in romanised Thai is six days; jinsanjiao (金三角) and laowo (老挝) are places."""
    assert check_offer(ordinary).risk == "low", check_offer(ordinary).to_dict()
    assert check_offer(risky).risk != "low", check_offer(risky).to_dict()


@pytest.mark.parametrize("text", [
    # romanised "no passport needed" (Thai, Lao, Burmese)
    "mai tong mee passport, pai tham ngan thi Myawaddy, mee rot rap",
    "bo tong sai passport, viak yu Bokeo ngeun deuan 20,000 baht",
    "passport ma lo bu, Myawaddy ko thwar mal, la sa kaung",
    # an escort who deals with immigration on an irregular route
    "dadaan tayo sa tawi-tawi, may escort sa immigration, trabaho sa Malaysia",
    "An escort will walk you past immigration at the airport, office job in Cambodia.",
    # a passport taken; flying as a tourist and picked up on the way
    "kinuha ng recruiter ang passport ng pinsan ko, trabaho daw sa Myanmar",
    "aalis sila as tourist papuntang Bangkok, may susundo papunta sa border",
    # relatives and friends who recruit; a job not said until arrival
    "My cousin is recruiting people for a chat job in Cambodia.",
    "Dapat tawaran dari paman kerja admin online di Myanmar.",
    "Kerja admin di Kamboja, nggak perlu lewat BP2MI, biaya dibayar ke calo.",
    "Kerja admin di Kamboja, nggak perlu lewat BP2MI, bayar ke calo 5 juta.",  # a fee, not pay
    "pheuan chuan pai het viak yu Kamphucha, bo bok wa het viak nyang, pai hod laew ja hu eng",
    "They won't tell us what the job is, you will know when you arrive in Laos.",
    "เพื่อนชวนไปทำงานที่กัมพูชา ไม่บอกว่าทำงานอะไร ไปถึงแล้วจะรู้เอง",
    "表哥叫我去柬埔寨，没说做什么，到了就知道",
    "Anh họ rủ sang Campuchia làm việc, không nói làm gì, sang đó sẽ biết.",
    "My uncle is bringing three of us to work in Myanmar, he says the boss pays the tickets.",
    "Dai mama le Dubai ma kaam milaidinchhu bhanya, k kaam ho thaha chaina, pugepachi thaha "
    "hunchha",
    "ញាតិខ្ញុំហៅទៅធ្វើការនៅម៉ាឡេស៊ី មិនប្រាប់ថាការងារអ្វីទេ ទៅដល់ទើបដឹង",
    "ໝູ່ຊວນໄປເຮັດວຽກຢູ່ກຳປູເຈຍ ບໍ່ບອກວ່າເຮັດວຽກຫຍັງ ໄປຮອດແລ້ວຈະຮູ້ເອງ",
    "भाइले दुबईमा काम मिलाइदिन्छु भन्यो, के काम हो भनेन, पुगेपछि थाहा हुन्छ रे",
    "Teman ngajak kerja di Kamboja, nggak dikasih tahu kerjanya apa, nanti tahu setelah sampai.",
    "Niyaya ako ng kaibigan sa Cambodia, hindi sinabi kung anong trabaho, malalaman daw pagdating.",
    "ညီမ မလေးရှားမှာ အလုပ်ရှိတယ်၊ ဘာအလုပ်လဲ မပြောဘူး၊ ရောက်မှသိမယ်",
    # romanised Burmese: keep it from mother, typing work, a hub
    "mae ma ko ma pyaw nae, thai ko thwar mal, typing a lote, myawaddy",
    # several soft signs abroad: a claimed work visa does not clear them
    "Typing job in Laos, $1,500 a month, work visa arranged by the company, WhatsApp only.",
])
def test_batch_7_families_are_flagged(text: str) -> None:
    """Written for this test (not from batch 7): the families batch 7 missed, phrased anew."""
    assert check_offer(text).risk != "low", check_offer(text).to_dict()


@pytest.mark.parametrize("text", [
    "DMW licensed, hindi kukunin ng agency ang passport mo, factory sa Taiwan NT$28,590.",
    "Resmi lewat BP2MI dan P3MI berizin, kerja pabrik di Taiwan, gaji NT$ 28.000, kontrak "
    "sebelum berangkat.",
    "Company escort from the hotel to the factory on day one. Taiwan factory NT$28,590, work "
    "permit processed by employer.",
    "Our nephew got a job offer from a licensed agency, caregiver in Osaka, JPY 190,000.",
    "Licensed agency: caregiver in Osaka, JPY 190,000, work visa processed, WhatsApp us, JLPT N4 "
    "required.",
    "Phnom Penh garment factory, $220, NSSF, WhatsApp the HR, no experience needed.",  # a capital
    "Bạn rủ qua Thái Lan làm nhà hàng, có hợp đồng, visa lao động, lương 12.000 baht.",
    "ໝູ່ຊວນໄປເຮັດວຽກຮ້ານອາຫານຢູ່ວຽງຈັນ ເງິນເດືອນ 3,000,000 ກີບ",
])
def test_ordinary_offers_near_batch_7_families_stay_low(text: str) -> None:
    assert check_offer(text).risk == "low", check_offer(text).to_dict()


def test_several_signs_is_validated(tmp_path: Path) -> None:
    shipped = (CONTENT / "indicators.yml").read_text(encoding="utf-8")
    assert "several_signs: {count: 3" in shipped
    (tmp_path / "indicators.yml").write_text(
        shipped.replace("several_signs: {count: 3", "several_signs: {count: 1", 1), encoding="utf-8"
    )
    with pytest.raises(ContentError) as error:
        load_rules(tmp_path)
    assert "indicators.yml" in str(error.value) and "several_signs" in str(error.value)
    assert "count" in str(error.value)
