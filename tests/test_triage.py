"""Distress triage on the labelled set: recall / false positives per language, severity, country
inference, third parties and the result's fields."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pytest

from bot import LANGUAGES
from bot.engines.triage import Triage, triage

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "content" / "distress_examples.jsonl"
EXAMPLES = Path("/work/shared/examples/distress.jsonl")
CONTENT = ROOT / "content"

MIN_RECALL = 0.97
MAX_FPR = 0.10


def _rows() -> list[dict]:
    with open(DATA, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def test_dataset_shape() -> None:
    rows = _rows()
    assert len(rows) >= 200
    assert len({r["id"] for r in rows}) == len(rows)
    per_lang = defaultdict(int)
    for r in rows:
        assert {"id", "lang", "label", "text"} <= set(r) <= {
            "id", "lang", "label", "text", "family", "emergency"}
        assert r["lang"] in LANGUAGES and isinstance(r["label"], bool)
        per_lang[r["lang"]] += 1
    assert all(per_lang[lang] >= 20 for lang in LANGUAGES), dict(per_lang)
    share = sum(r["label"] for r in rows) / len(rows)
    assert 0.4 <= share <= 0.6, share  # close calls are deliberately many (0.444 with b9)


@pytest.mark.skipif(not EXAMPLES.exists(), reason="shared examples not mounted")
def test_dataset_includes_shared_examples() -> None:
    ours = {r["id"]: r for r in _rows()}
    with open(EXAMPLES, encoding="utf-8") as fh:
        for line in fh:
            example = json.loads(line)
            assert {k: ours[example["id"]][k] for k in example} == example


def _figures(
    rows: list[dict], decided: dict[str, Triage] | None = None
) -> tuple[dict[str, list[int]], list]:
    """Per language [positives, true positives, negatives, false positives], and the misses.

    ``decided`` holds triage results already computed, by row id.
    """
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    misses = []
    for row in rows:
        # language deliberately not given: the detection path
        result = decided[row["id"]] if decided is not None else triage(row["text"])
        c = counts[row["lang"]]
        if row["label"]:
            c[0] += 1
            c[1] += result.distress
        else:
            c[2] += 1
            c[3] += result.distress
        if result.distress != row["label"]:
            misses.append((row["id"], row["label"], result.signals))
    counts["ALL"] = [sum(c[i] for c in list(counts.values())) for i in range(4)]
    return counts, misses


def _print(title: str, counts: dict[str, list[int]]) -> None:
    print(f"\n{title}\nlang  recall            false-positive rate")
    for lang in (*LANGUAGES, "ALL"):
        pos, tp, neg, fp = counts[lang]
        if pos and neg:
            print(f"{lang:4}  {tp:3}/{pos:<3} {tp / pos:.3f}   {fp:3}/{neg:<3} {fp / neg:.3f}")


@pytest.mark.quality
def test_recall_and_false_positive_rate_per_language() -> None:
    rows = _rows()
    decided = {r["id"]: triage(r["text"]) for r in rows}  # once: the three views share it
    # ids y*/d-*: written before any pattern; h-*: later probes of unseen phrasings, kept as
    # regression cases after the patterns were fixed for them.
    independent = [r for r in rows if not r["id"].startswith("h-")]
    _print("independent set (written before the patterns)", _figures(independent, decided)[0])
    _print("probe set (h-*)", _figures([r for r in rows if r["id"].startswith("h-")], decided)[0])
    counts, misses = _figures(rows, decided)
    _print("all", counts)
    print("misclassified:", misses)
    for lang in (*LANGUAGES, "ALL"):
        pos, tp, neg, fp = counts[lang]
        assert tp / pos >= MIN_RECALL, (lang, "recall", tp, pos)
        assert fp / neg <= MAX_FPR, (lang, "false positives", fp, neg)


@pytest.mark.parametrize(
    "text",
    [
        "they are beating him right now",
        "i want to die",
        "they will kill me if i try to run",
        "โดนช็อตไฟฟ้า ช่วยด้วย",
        "อยากตาย",
        "ရိုက်နှက်နေတယ် ကယ်ပါ",
        "គេវាយខ្ញុំរាល់ថ្ងៃ",
        "ຢາກຕາຍ",
        "em bị đánh mỗi ngày",
        "kami disetrum tiap hari",
        "binubugbog kami",
        "被电击了 救命",
        "不想活了",
        "हामीलाई कुट्छन्",
        "मर्न मन लाग्यो",
        # threats of death and suicidal thoughts in other words (fresh probes, h-*-1xx)
        "boss said if i keep refusing ill end up in the river",
        "honestly i dont see the point of living anymore",
        "หัวหน้าขู่ว่าถ้าหนีจะเอาไปทิ้งแม่น้ำ",
        "ไม่อยากอยู่บนโลกนี้แล้ว",
        "ထွက်ပြေးရင် မြစ်ထဲ ပစ်ချမယ်လို့ ခြိမ်းခြောက်တယ်",
        "အသက်ဆက်ရှင်ဖို့ စိတ်မရှိတော့ဘူး",
        "ថៅកែថាបើរត់ នឹងបាញ់ចោល",
        "ខ្ញុំលែងចង់រស់នៅលើលោកនេះទៀតហើយ",
        "ນາຍຂູ່ວ່າຖ້າໜີຈະຍິງຖິ້ມ",
        "ບໍ່ຢາກຢູ່ໃນໂລກນີ້ອີກແລ້ວ",
        "ເຂົາເອົາໄມ້ຟາດຂາຂ້ອຍຈົນບວມ",
        "nó bảo đứa nào trốn là thủ tiêu luôn",
        "em chẳng thiết sống nữa",
        "bos ngancam kalau kabur bakal dihabisi",
        "rasanya ga sanggup hidup lagi",
        "sabi ng amo pag tumakas kami itatapon kami sa ilog",
        "wala na akong ganang mabuhay",
        "老板说谁敢跑就埋了谁",
        "活着没什么意思了",
        "भाग्यौ भने गोली हान्छौं भन्छन्",
        "अब जिउनुको कुनै अर्थ छैन",
        # a check-in from session 20's release (both stages below 0.1) until session 21's rule:
        # a wish that names nothing else is an emergency whatever the models say
        "em muon chet",
        # being bought / resold: urgent in these languages until session 24 (a sale done in
        # English was SOLD, an emergency, since session 9), when 873 early labelled cries got
        # their missing emergency label (the emergencies include being sold)
        "ເຂົາຊື້ຂ້ອຍມາຈາກບໍລິສັດເກົ່າ",
        "em bị sang tay cho công ty khác rồi",
        "मलाई अर्को कम्पनीले किनेर लग्यो",
        "我被转手了 新公司说花了钱买的我",
    ],
)
def test_violence_and_suicidal_are_emergencies(text: str) -> None:
    result = triage(text)
    assert result.distress and result.severity == "emergency", result


@pytest.mark.parametrize(
    "text",
    [
        "they took my passport",
        "help me please",
        "boss says i owe 3000 usd and cannot leave until i pay",
        "เขายึดพาสปอร์ต",
        "tulong po",
        # "come and get us, N of us here", writing in secret
        "there are 30 of us in a building near o'smach, please come get us",
        "tolong jemput kami, ada 11 orang di gedung dekat poipet",
        "writing this in the toilet on a phone i hid, dont reply after 10pm",
    ],
)
def test_other_distress_is_urgent(text: str) -> None:
    result = triage(text)
    assert result.distress and result.severity == "urgent", result


@pytest.mark.parametrize("text", ["หนีไม่ได้", "ໜີບໍ່ໄດ້"])
def test_a_bare_cannot_escape_is_distress_whatever_its_severity(text: str) -> None:
    r"""Thai and Lao "can't escape", two words (the tone mark in a lookahead, written as \u0e49 /
    \u0ec9 in the content): confinement, urgent until the severity stage learned the development
    sets of hints and emergencies (Thai, session 23: 0.50 -> 0.68) and the missing emergency labels
    of 873 early cries (Lao, session 24): the stronger card, for a cry it is."""
    result = triage(text)
    assert result.distress and "CONFINEMENT" in result.signals, result


@pytest.mark.parametrize(
    "text",
    [
        "help me understand what a work permit is",
        "where can I renew my passport in Bangkok?",
        "how do I escape a bad contract legally?",  # documented decision: not distress
        "can you help me?",
        "thanks, that was helpful",
        "is Myanmar safe to travel right now?",
        "what is debt bondage?",
        "my account is locked, how do I reset it",
        "I need help with my visa application",
        "can the company keep my passport during the contract? is that legal",
        # thanks, alerts off, prevention, fee questions (decided: not distress)
        "thanks so much for helping me out earlier",
        "how do i make sure i dont get trafficked when i go abroad",
        "tắt thông báo giúp mình",
        "ปิดการแจ้งเตือนให้หน่อย",
        "ทำยังไงไม่ให้ตกเป็นเหยื่อค้ามนุษย์",
        "tips biar gak jadi korban perdagangan orang",
        "出国打工怎样才不会被拐卖",
        "सहयोगको लागि धन्यवाद",
        "paano maiiwasan na maging biktima ng trafficking",
        "humihingi ng 50k ang agency bago umalis, legal ba yun",
        "เอเจนซี่เก็บค่าหัวคิวสามหมื่น แบบนี้ถูกกฎหมายไหม",
        # Vietnamese folding: "bạn" (friend) is not "bán" (sell)
        "bạn em sang Nhật làm việc rồi",
    ],
)
def test_ordinary_questions_are_not_distress(text: str) -> None:
    result = triage(text)
    assert not result.distress and result.severity == "none", result


@pytest.mark.parametrize(
    ("text", "country"),
    [
        ("help, we are locked in Myawaddy", "MM"),
        ("my brother is in KK Park and cannot leave", "MM"),
        ("พี่ชายโดนขังอยู่ที่เมียวดี", "MM"),
        ("trapped in Sihanoukville, they took our passports", "KH"),
        ("ប្អូនប្រុសខ្ញុំជាប់នៅក្រុងព្រះសីហនុ ចេញមិនបាន", "KH"),
    ],
)
def test_country_inferred_from_places(text: str, country: str) -> None:
    result = triage(text)
    assert result.distress
    assert result.country == country
    assert result.places


def test_third_party_report() -> None:
    result = triage("my brother is in KK Park and cannot leave")
    assert "THIRD_PARTY" in result.signals and "CONFINEMENT" in result.signals
    # A relative alone is not distress; losing contact with one is.
    assert not triage("my brother wants to work in japan").distress
    assert triage("my sister went to cambodia and we cannot reach her for 2 weeks").distress


def test_language_reported() -> None:
    assert triage("ช่วยด้วย").language == "th"
    assert triage("help me", language="vi").language == "vi"
    assert triage("救命").language == "zh"


def test_to_dict() -> None:
    d = triage("sos").to_dict()
    assert set(d) == {"language", "distress", "severity", "signals", "confidence", "check_in",
                      "country"}
    assert 0.0 <= d["confidence"] <= 1.0
    assert d["distress"] is True and d["signals"] == ["CALL_FOR_HELP"]
