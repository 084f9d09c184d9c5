"""Job offers: batch 2 figures after tuning, and one regression case per family (issue #15)."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pytest

from bot import LANGUAGES
from bot.engines.redflags import check_offer

BATCH2 = Path(__file__).resolve().parent / "data" / "blind" / "offers_batch2.jsonl"


def _flagged(text: str) -> bool:
    return check_offer(text).risk != "low"


def test_batch2_recall_and_specificity_floors() -> None:
    """Batch 2 was measured blind (recall 58/60, specificity 41/60), then tuned on: keep it."""
    rows = [json.loads(line) for line in BATCH2.read_text(encoding="utf-8").splitlines() if line]
    stats: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for r in rows:
        flagged = _flagged(r["text"])
        s = stats[r["lang"]]
        if r["label"] == "risky":
            s[0] += 1
            s[1] += flagged
        else:
            s[2] += 1
            s[3] += not flagged
    caught = sum(s[1] for s in stats.values())
    passed = sum(s[3] for s in stats.values())
    assert caught >= 59 and passed >= 58, (caught, passed)
    for lang in LANGUAGES:
        risky, hit, ordinary, ok = stats[lang]
        assert hit / risky >= 0.95 and ok / ordinary >= 0.8, (lang, stats[lang])


# New sentences (not batch 2's) for each family: the family's flag fires and the offer is flagged.
RISKY = [
    ("SECRECY", "Cousin, come work with me in Cambodia, easy chat job. Don't tell your parents."),
    ("SECRECY", "Em ơi sang Campuchia làm với chị, đừng nói với bố mẹ nhé."),
    ("SECRECY", "น้องมาทำงานกับพี่ที่กัมพูชา อย่าเพิ่งบอกพ่อแม่นะ"),
    ("SECRECY", "妹妹来缅甸这边上班吧，先别告诉爸妈。"),
    ("RELATIVE_RECRUITER", "Sis, my boss still needs 3 people here in Cambodia, typing job, "
                           "he pays the bus."),
    ("ILLEGAL_CROSSING", "Work in Thailand, no passport no problem, our guy will take you across "
                         "the river. Broker fee 300 USD, pay upfront before departure."),
    ("ILLEGAL_CROSSING", "ວຽກຢູ່ມາເລເຊຍ ບໍ່ມີພາສປອດກໍໄປໄດ້ ມີຄົນພາຂ້າມ ຈ່າຍກ່ອນອອກເດີນທາງ"),
    ("ILLEGAL_CROSSING", "ဆိုင်းဘုတ်မရှိ ထိုင်းအလုပ် ပတ်စ်ပို့ မလို လမ်းကြောင်းဖြင့် ဖြတ်ပေးမည်"),
    ("COSTS_DEDUCTED", "Zero cost! Flight and visa paid by the company, deducted from your "
                       "salary later. Work abroad in Laos as app tester."),
    ("COSTS_DEDUCTED", "Kerja di Kamboja, tiket ditanggung dulu, nanti dipotong gaji."),
    ("IMPLAUSIBLE_PROMISE", "Japan caregiver, 100% visa guaranteed, no JLPT needed, we make "
                            "your certificate. Work abroad, leave next month."),
    ("IMPLAUSIBLE_PROMISE", "Đi Hàn Quốc bao đậu visa, không cần tiếng, làm bằng cho."),
    ("HOSTESS_WORK", "รับน้องผู้หญิงพริตตี้คาราโอเกะที่ปอยเปตรายได้ดีไม่ต้องมีประสบการณ์"),
    ("HOSTESS_WORK", "KTV hostess wanted in Bavet, girls 18-25, no experience, room free."),
    ("DESTINATION_SWITCH", "Admin job in Dubai, first 2 weeks training in Bangkok on a "
                           "tourist visa, then to the office near the border."),
    ("NO_QUALIFICATIONS", "rab samak ngan online tang prathet, mai tong mee prasobkarn, "
                          "ngern duan 40,000 baht, tua kruang bin free"),
    ("NO_QUALIFICATIONS", "Hub samak viak online tang pathet, bo tong mee pasobkan, "
                          "ngeun deuan 20 lan kip, mee hong phak"),
]


@pytest.mark.parametrize(("flag", "text"), RISKY)
def test_family_flag_fires_and_offer_is_flagged(flag: str, text: str) -> None:
    result = check_offer(text)
    assert flag in {f.id for f in result.flags}, result.to_dict()
    assert result.risk != "low", result.to_dict()


ORDINARY = [
    # legal wage abroad through a licensed agency (TWD, JPY read as such, not as dollars)
    "Factory operators for Taiwan, salary NT$29,000/month, employment contract before "
    "departure, DMW License No. 123. Apply in person at our office.",
    "โครงการฝึกงานญี่ปุ่น เงินเดือน 170,000 เยน/เดือน สมัครที่สำนักงานจัดหางานจังหวัด",
    # ordinary jobs in hub towns, with an employer's due process
    "Hotel in Poipet needs a cashier, salary USD 300, social security, written test and "
    "interview at the hotel.",
    "แม่สอด รับสมัครพนักงานธนาคาร วุฒิปริญญาตรี สอบข้อเขียน สัมภาษณ์ที่สาขา ประกันสังคม",
]


@pytest.mark.parametrize("text", ORDINARY)
def test_ordinary_families_stay_low(text: str) -> None:
    assert check_offer(text).risk == "low", check_offer(text).to_dict()


def test_licence_lowers_but_never_clears_a_strong_sign() -> None:
    base = "Customer service in Cambodia, tourist visa, work permit done after arrival."
    licensed = base + " Licensed agency, license no. 123-ABC, written test at our office."
    assert check_offer(licensed).risk != "low"
    hub = "Cashier in Poipet, USD 250."
    lowered = hub + " Licensed agency, license no. 12. Interview at our office."
    assert check_offer(lowered).score < check_offer(hub).score
