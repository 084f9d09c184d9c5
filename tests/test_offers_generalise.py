"""Job offers (issue #15): verdicts that must not depend on how an ad is written down.

Every Chinese ad of the tuning sets written in traditional characters, and every Burmese ad
re-encoded in Zawgyi, gets the verdict of the original; the project's own fresh examples of the
families missed on never-seen ads (tests/data/offers_generalise.jsonl, written for this test by
the tune-offers5 and tune-offers6 rounds, not blind) keep theirs.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.engines.redflags import check_offer

icu = pytest.importorskip("icu")

DATA = Path(__file__).resolve().parent / "data"
SETS = sorted((DATA / "blind").glob("offers_batch[2-7].jsonl")) + [
    DATA / "offers_tuning.jsonl", DATA / "offers.jsonl",
]
OWN = DATA / "offers_generalise.jsonl"


def _rows(paths: list[Path], lang: str) -> list[dict]:
    rows = []
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip() and json.loads(line)["lang"] == lang:
                rows.append(json.loads(line))
    return rows


@pytest.mark.parametrize(("lang", "transliterator"), [
    ("zh", "Simplified-Traditional"), ("my", "my-Zawgyi"),
])
def test_an_ad_gets_the_same_verdict_in_another_script_or_encoding(
    lang: str, transliterator: str
) -> None:
    """Traditional Chinese is folded to simplified, Zawgyi converted to Unicode, before matching."""
    convert = icu.Transliterator.createInstance(transliterator)
    rows = _rows(SETS, lang)
    assert len(rows) > 100
    changed = [
        r["id"] for r in rows
        if (check_offer(r["text"]).risk == "low")
        != (check_offer(convert.transliterate(r["text"])).risk == "low")
    ]
    assert not changed


def test_evidence_quotes_the_traditional_characters_of_the_ad() -> None:
    """Matching runs on the simplified form; the quoted words are the ad's own."""
    text = "西港有工作，收入好，加飛機。"
    hits = {f.id: f for f in check_offer(text).flags}
    assert "SOCIAL_MEDIA_RECRUITER" in hits
    assert "飛機" in hits["SOCIAL_MEDIA_RECRUITER"].evidence


def test_own_examples_of_the_families_missed_on_never_seen_ads_keep_their_verdicts() -> None:
    """Bare lures, romanised ads, fintech support in Dubai; Taiwan wages, listed documents; and
    (g6-*) a transfer on to a border hub with no contract yet, "bring only your passport", a
    named trade that asks for languages, an hourly teaching rate, a ministry warning of brokers;
    (g7-*) typing lures without spaces or romanised, a passport taken (told by relatives), SSW and
    EPS applications, a legal Gulf/Malaysia manpower route, a school teacher in a hub town."""
    rows = [json.loads(line) for line in OWN.read_text(encoding="utf-8").splitlines() if line]
    assert {r["lang"] for r in rows} >= {"en", "th", "my", "km", "lo", "vi", "id", "tl", "zh", "ne"}
    flagged = {r["id"]: check_offer(r["text"]).risk != "low" for r in rows}
    wrong = [r["id"] for r in rows if flagged[r["id"]] != (r["label"] == "risky")]
    assert not wrong


@pytest.mark.parametrize("text", [
    "loker kamboja gaji 2jt/minggu dm",  # no job named, a country compounds recruit to, a DM
    "东南亚高薪 日结 飞机私聊",  # "South-East Asia" alone is such a destination
    "ວຽກຢູ່ກຳປູເຈຍ ເງິນເດືອນດີ ທັກ WhatsApp",
])
def test_a_bare_lure_abroad_is_flagged(text: str) -> None:
    assert check_offer(text).risk != "low"


@pytest.mark.parametrize("text", [
    "Laos coffee shop in Vientiane needs barista, $250/month, message the owner.",  # a job named
    "Tachileik hotel hiring front desk staff, salary 9000 baht, meals, Viber 09xxxx",
    "Cambodia garment factory needs sewing operators, $230 a month, DM the HR page.",
])
def test_a_named_ordinary_job_in_such_a_place_is_not_a_bare_lure(text: str) -> None:
    assert check_offer(text).risk == "low"


@pytest.mark.parametrize(("text", "high_pay"), [
    ("桃园电子厂招聘外籍作业员，月薪27470元，合法仲介。", False),  # 元 in Taiwan is TWD
    ("徵 大夜班超商店員，時薪190元，可排班，有勞健保", False),  # traditional script: from Taiwan
    ("桃园电子厂，月薪人民币27470元。", True),  # renminbi named: read as such
])
def test_yuan_in_taiwan_is_the_local_dollar(text: str, high_pay: bool) -> None:
    ids = {f.id for f in check_offer(text).flags}
    assert ("HIGH_PAY_LOW_SKILL" in ids) is high_pay


def test_lakh_is_rupees_whatever_the_language() -> None:
    ids = {f.id for f in check_offer("cambodia job 2 lakh ib").flags}
    assert "HIGH_PAY_LOW_SKILL" in ids  # 200,000 NPR a month, not 200,000 rupiah


@pytest.mark.parametrize("text", [
    "Customer service staff for an online company in Laos, 1,200 USD.",  # vague role, lure country
    "kerja admin di kamboja, mess disediakan",
    "Sino gusto pumunta sa ibang bansa? Libre lahat, pamasahe at tirahan.",  # free, work unnamed
    "日本护理，不用日语，签证包过，先交手续费。",  # a visa promised without the language test
])
def test_lures_of_the_batch_9_families_in_other_words(text: str) -> None:
    assert check_offer(text).risk != "low"


@pytest.mark.parametrize("text", [
    "Licensed agency: customer service staff for a bank call centre in Phnom Penh, work permit "
    "processed, interview at the office.",
    "Factory workers for Malaysia, no English needed, RM 1,700, licensed agency, contract "
    "before departure.",
])
def test_their_ordinary_neighbours_stay_low(text: str) -> None:
    assert check_offer(text).risk == "low"


@pytest.mark.parametrize(("text", "flagged"), [
    ("Tuyển phiên dịch tiếng Trung cho nhà máy may ở Campuchia, lương 800 USD, có hợp đồng lao "
     "động.", False),  # an interpreter for a named factory, under a labour contract
    ("柬埔寨金边制衣厂招中柬翻译，月薪1000美元，签劳动合同，公司办工作证。", False),
    ("缅甸妙瓦底电子厂招翻译，月薪1万，签劳动合同，加飞机。", True),  # recruited by chat app
    ("Translator for an online company in Poipet, contract provided, $1,200.", True),  # no site
])
def test_an_office_role_at_a_named_workplace(text: str, flagged: bool) -> None:
    assert (check_offer(text).risk != "low") is flagged


def test_a_dollar_wage_in_a_myanmar_border_town_is_read_against_thai_wages() -> None:
    """salaries.yml wage_peers: Tachileik pays at Thai levels; a lure's $1,000 stays high."""
    hotel = "Hotel receptionist in Tachileik, salary $400, apply at the hotel."
    assert check_offer(hotel).risk == "low"
    lure = {f.id for f in check_offer("Typing job in Myawaddy $1000 Telegram").flags}
    assert "HIGH_PAY_LOW_SKILL" in lure


def test_latin_job_words_match_only_whole_words() -> None:
    """Vietnamese "y ta" (nurse) is not inside romanised Burmese "nay tal"."""
    from bot.engines.patterns import fold
    from bot.engines.salaries import salary_sense
    from bot.engines.text import normalize

    found = salary_sense().job_patterns.first_matches(fold(normalize("lu 5 yauk lo nay tal")))
    assert "skilled" not in found


@pytest.mark.parametrize("text", [
    "They told my brother he must pay $4,000 compensation before he can leave the company.",
    "Anak ko, hindi raw sila pinapauwi hangga't hindi nagbabayad.",
    "她说园区不让出去，要交三万才能走。",
    "ลูกสาวบอกว่าบริษัทไม่ให้ออกไปไหน ต้องจ่ายสองแสนถึงจะได้กลับ",
    "Em trai tôi bị giữ ở bên đó, phải nộp 5000 đô tiền chuộc mới được về nước.",
    "Kata bos, kalau mau pulang harus bayar denda 50 juta.",
    "छोरालाई कम्पनीले बाहिर जान दिँदैन, पैसा तिरेपछि मात्र छुट्छ भन्छन्।",
    "If he brings two more friends his debt will be reduced, the boss says.",
    "chhora lai myanmar ma lagyo, passport khosyo, bahira jana didainan",  # romanised Nepali
    "borisat yuet passport laew, mai hai ork pai khang nok, yu thi Myawaddy",  # romanised Thai
    "wo didi zai miandian, gongsi bu rang chu qu, yao shu jin 3 wan",  # pinyin
])
def test_leaving_that_is_forbidden_or_must_be_bought_is_a_flag(text: str) -> None:
    """EXIT_PENALTY (indicators.yml): held, ransomed, or freed only by recruiting others."""
    result = check_offer(text)
    assert "EXIT_PENALTY" in {f.id for f in result.flags} and result.risk != "low"


@pytest.mark.parametrize("text", [
    "Staff may leave the dorm freely after work; no penalty if you resign with 30 days notice.",
    "Nhân viên được tự do ra ngoài sau giờ làm, nghỉ việc báo trước 30 ngày.",
    "Pekerja boleh pulang saat cuti tahunan, tiket ditanggung perusahaan.",
    "员工下班后可以自由出入宿舍，辞职提前30天通知即可。",
])
def test_freedom_to_leave_is_not_that_flag(text: str) -> None:
    assert "EXIT_PENALTY" not in {f.id for f in check_offer(text).flags}
