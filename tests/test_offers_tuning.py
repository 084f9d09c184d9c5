"""Job offers: batches 3, 4 and 5 and the project's own close calls after tuning (issue #15), and
the mechanisms that raised specificity (hub towns, kept passports, legal wages, ranges) and
recall on short lures (hub + vague role, urgency abroad, romanised and pinyin cues)."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pytest

from bot import LANGUAGES
from bot.content import CONTENT_DIR as CONTENT
from bot.content import ContentError
from bot.engines.amounts import extract_amounts
from bot.engines.places import PLACES_FILE, load_places
from bot.engines.redflags import check_offer

DATA = Path(__file__).resolve().parent / "data"
BATCH3 = DATA / "blind" / "offers_batch3.jsonl"
BATCH4 = DATA / "blind" / "offers_batch4.jsonl"
BATCH5 = DATA / "blind" / "offers_batch5.jsonl"  # blind batch 5: tuning data since 03:39
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
    "path", [BATCH3, BATCH4, BATCH5, OWN], ids=["batch3", "batch4", "batch5", "own"]
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
