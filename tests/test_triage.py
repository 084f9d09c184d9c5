"""Distress triage: recall / false positives per language on the labelled set, severity,
country inference, code words, content validation, CLI and robustness."""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

import pytest

from bot import LANGUAGES
from bot.content import ContentError
from bot.engines import distress_content
from bot.engines.distress_content import load_distress
from bot.engines.patterns import fold
from bot.engines.triage import Triage, is_code_word, match_signals, triage

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
        # being bought / resold (a sale done in English is SOLD, an emergency: session 9)
        "ເຂົາຊື້ຂ້ອຍມາຈາກບໍລິສັດເກົ່າ",
        "em bị sang tay cho công ty khác rồi",
        "मलाई अर्को कम्पनीले किनेर लग्यो",
        "我被转手了 新公司说花了钱买的我",
        # tone mark in a lookahead (written as \u0e49 / \u0ec9 in the content); the Thai one:
        # test_a_bare_cannot_escape_is_distress_whatever_its_severity
        "ໜີບໍ່ໄດ້",
        # "come and get us, N of us here", writing in secret
        "there are 30 of us in a building near o'smach, please come get us",
        "tolong jemput kami, ada 11 orang di gedung dekat poipet",
        "writing this in the toilet on a phone i hid, dont reply after 10pm",
    ],
)
def test_other_distress_is_urgent(text: str) -> None:
    result = triage(text)
    assert result.distress and result.severity == "urgent", result


def test_a_bare_cannot_escape_is_distress_whatever_its_severity() -> None:
    """Thai "can't escape", two words (the tone mark in a lookahead): confinement, urgent until
    session 23, when the severity stage learned the development sets of hints and emergencies
    and read it as an emergency (0.50 -> 0.68): the stronger card, for a cry it is."""
    result = triage("หนีไม่ได้")
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


def test_code_word(tmp_path: Path) -> None:
    assert is_code_word("Blue  Umbrella")
    assert is_code_word("hi, blue umbrella today?")
    assert not is_code_word("I bought a blue car and an umbrella")
    assert not is_code_word("")
    result = triage("blue umbrella")
    assert result.distress and "CODE_WORD" in result.signals
    # The list is per deployment: a content directory with other words.
    text = (CONTENT / "distress.yml").read_text(encoding="utf-8")
    text = text.replace("  - blue umbrella\n", "  - green kettle\n")
    (tmp_path / "distress.yml").write_text(text, encoding="utf-8")
    custom = load_distress(tmp_path)
    assert custom.code_words is not None
    assert custom.code_words.search("the green kettle is boiling")
    assert not custom.code_words.search("blue umbrella")


@pytest.mark.parametrize(
    ("old", "new", "entry", "field"),
    [
        ("    severity: emergency\n", "    severity: extreme\n", "VIOLENCE", "severity"),
        ("        - '\\bransom\\b'\n", "        - '(ransom'\n", "DEBT_BONDAGE", "patterns.en[0]"),
        (
            "    needs_any: [THIRD_PARTY, SCAM_HUB]\n",
            "    needs_any: [NOPE]\n",
            "LOST_CONTACT",
            "needs_any",
        ),
        (
            "  LOST_CONTACT:\n    severity: urgent\n    standalone: false\n",
            "  LOST_CONTACT:\n    severity: urgent\n    standalone: maybe\n",
            "LOST_CONTACT",
            "standalone",
        ),
    ],
)
def test_schema_errors_name_file_entry_field(
    tmp_path: Path, old: str, new: str, entry: str, field: str
) -> None:
    text = (CONTENT / "distress.yml").read_text(encoding="utf-8")
    assert old in text
    (tmp_path / "distress.yml").write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(ContentError) as err:
        load_distress(tmp_path)
    assert err.value.file == "distress.yml"
    assert err.value.entry == entry
    assert err.value.field == field
    assert "distress.yml" in str(err.value) and entry in str(err.value)


def test_unknown_language_in_patterns(tmp_path: Path) -> None:
    text = (CONTENT / "distress.yml").read_text(encoding="utf-8")
    head = "  SUICIDAL:\n    severity: emergency\n    standalone: true\n    patterns:\n"
    assert head in text
    text = text.replace(head, head + "      xx: ['foo']\n", 1)
    (tmp_path / "distress.yml").write_text(text, encoding="utf-8")
    with pytest.raises(ContentError) as err:
        load_distress(tmp_path)
    assert (err.value.entry, err.value.field) == ("SUICIDAL", "patterns.xx")


@pytest.mark.parametrize(
    "junk",
    [
        None,
        123,
        "",
        " ",
        "\x00\x01\x02",
        "\ud800",
        "🙂" * 500,
        "((((([[[",
        "\\",
        "a" * 200_000,
        "ကယ်" * 3000,
        "\u200b\u200c\u200d",
        b"bytes",
        ["list"],
        "ß" * 50,
        "\u0300" * 40,
    ],
)
def test_junk_input_never_raises(junk) -> None:  # noqa: ANN001 - deliberately anything
    result = triage(junk)
    assert result.severity in ("none", "urgent", "emergency")
    assert isinstance(result.to_dict(), dict)
    assert is_code_word(junk) in (True, False)


def test_speed() -> None:
    sample = _rows()[::40]  # a spread of the labelled rows: enough to catch a stall, not a bench
    rows = [r["text"] for r in sample]
    triage("warm up")
    timings = []
    for text in rows:
        start = time.perf_counter()
        match_signals(text)
        timings.append(time.perf_counter() - start)
    median_ms = statistics.median(timings) * 1000
    full = []
    for row in sample:
        start = time.perf_counter()
        triage(row["text"], row["lang"])
        full.append(time.perf_counter() - start)
    print(
        f"\nsignal matching median {median_ms:.3f} ms; "
        f"full triage median {statistics.median(full) * 1000:.3f} ms"
    )
    # Speed is measured by `python -m bot bench` (README); this only catches a stall (a pattern
    # that backtracks costs seconds). 6.4 ms on a quiet 2-core machine in session 11 and 12 ms
    # beside a cross-validation run: 10 ms failed on a busy machine, not on a stall.
    assert median_ms < 30.0


def _run_cli(args: list[str], stdin: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run(
        [sys.executable, "-m", "bot", "triage", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
        check=False,
    )


def test_cli_jsonl_with_bad_line() -> None:
    lines = [
        json.dumps({"id": "a", "text": "help, they locked us in"}),
        "this is not json",
        json.dumps({"id": "c", "text": 42}),
        json.dumps({"id": "d", "text": "where can I renew my passport?"}),
    ]
    proc = _run_cli(["--jsonl"], "\n".join(lines) + "\n")
    assert proc.returncode == 0, proc.stderr
    out = [json.loads(line) for line in proc.stdout.splitlines()]
    assert len(out) == 4
    assert out[0]["id"] == "a" and out[0]["distress"] is True
    assert {"language", "severity", "signals"} <= set(out[0])
    assert "error" in out[1]
    assert out[2]["id"] == "c" and "error" in out[2]
    assert out[3]["distress"] is False


def test_cli_single() -> None:
    proc = _run_cli([], "ช่วยด้วย โดนขังอยู่")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["distress"] is True and out["language"] == "th"


def test_content_copy_is_valid(tmp_path: Path) -> None:
    shutil.copy(CONTENT / "distress.yml", tmp_path / "distress.yml")
    assert load_distress(tmp_path).signals


def test_route_descriptions_in_job_ads_are_not_distress() -> None:
    ad = "Casino job in the Golden Triangle, high salary, free travel, we cross the river at night"
    # The signal is reported; whether this short ad is distress is the recogniser's call (a
    # false alarm there costs a hotline card, and the ad's red flags are still shown).
    assert "ILLEGAL_ROUTE" in triage(ad).signals
    assert not triage("老挝金三角招聘网络推广，路费全包，走小路过境。").distress
    # ... but about a relative who is now unreachable or in debt it is a reason to worry (the
    # crossing alone is the recogniser's call: 0.25 on the line).
    assert triage("my brother crossed the border illegally at night last week and now we cannot "
                  "reach him").distress
    assert triage("my brother crossed the border illegally at night and now they say he owes "
                  "them money").distress
    # Being taken across is distress whoever says it.
    assert triage("they took us across the river at night").distress


OFFERS = ROOT / "tests" / "data" / "offers.jsonl"


@pytest.mark.quality
@pytest.mark.skipif(not OFFERS.exists(), reason="offers data set not present")
def test_job_ads_are_rarely_distress() -> None:
    with open(OFFERS, encoding="utf-8") as fh:
        ads = [json.loads(line)["text"] for line in fh if line.strip()]
    flagged = [text[:60] for text in ads if triage(text).distress]
    print(f"\njob ads flagged as distress: {len(flagged)}/{len(ads)}", flagged)
    assert len(flagged) <= 0.05 * len(ads)


def test_zawgyi_burmese() -> None:
    # "ကယ်ပါ ပိတ်ထားတယ်" typed in the Zawgyi encoding.
    result = triage("ကယ္ပါ ပိတ္ထားတယ္")
    assert result.distress and "CALL_FOR_HELP" in result.signals


def test_failing_helper_engines_do_not_hide_distress(monkeypatch: pytest.MonkeyPatch) -> None:
    import bot.engines.language
    import bot.engines.places

    def boom(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("broken engine")

    monkeypatch.setattr(bot.engines.places, "find_places", boom)
    monkeypatch.setattr(bot.engines.language, "detect_language", boom)
    result = triage("help, they locked us in Myawaddy")
    assert result.distress and result.severity == "urgent"
    assert result.country is None and result.language == "en"


@pytest.mark.parametrize(
    ("pattern_text", "kept"),
    [
        ("(่ไม่|x)", "่"),  # a Thai tone mark right after "(" in a pattern
        ("|ໍ່ໄດ້", "ໍ"),  # a Lao vowel sign after "|"
        ("!्", "्"),  # a Devanagari virama after "!"
        ("(်", "်"),  # a Burmese asat after "("
    ],
)
def test_fold_keeps_marks_after_punctuation(pattern_text: str, kept: str) -> None:
    assert kept in fold(pattern_text)
    assert fold("Cứu em") == "Cuu em"  # Latin accents still go


# --- the learned recogniser: one decision, guarded on wording it never saw -------------------


def test_router_takes_the_triage_decision_and_demotes_a_classifier_only_distress() -> None:
    from rasa.shared.nlu.training_data.message import Message

    from bot.rasa_components.router import route

    def parsed(text: str, intent: str) -> Message:
        ranking = [{"name": intent, "confidence": 0.8}, {"name": "ask_faq", "confidence": 0.1}]
        return Message(data={"text": text, "intent": ranking[0], "intent_ranking": ranking})

    calm = parsed("thanks, see you tomorrow", "distress")
    route(calm)
    assert not triage("thanks, see you tomorrow").distress
    assert calm.get("intent")["name"] == "ask_faq"

    plea = parsed("they took my passport and lock us in, please help", "greet")
    route(plea)
    assert triage("they took my passport and lock us in, please help").distress
    assert plea.get("intent")["name"] == "distress"


@pytest.mark.quality
def test_held_out_blind_batches_keep_their_recall() -> None:
    """Trained without batches 3 and 4 (written blind, after the patterns), the whole decision
    still finds >= 95 % of their cries for help and every emergency (README: triage-eval)."""
    from dataclasses import replace
    from unittest import mock

    from bot.commands.triage_eval import batch_of
    from bot.engines import distress_training as training
    from bot.engines.recogniser import Recogniser, fit, fit_second, is_close_call

    examples = training.read_examples()
    held = [e for e in examples if batch_of(e["id"]) in ("b3", "b4")]
    weight = distress_content.content().close_call_weight
    train = [training.example_row(e, weight) for e in examples
             if batch_of(e["id"]) not in ("b3", "b4")]
    train += [(training.model_text(t), i == training.DISTRESS_INTENT)
              for i, t in training.nlu_examples() if i != training.AD_STAGE_ONLY]
    second = fit_second([training.example_row(e, 1.0)[:2] for e in examples
                         if batch_of(e["id"]) not in ("b3", "b4")
                         and (e["label"] or is_close_call(e))]
                        + [r[:2] for r in train if r[1]])
    content = replace(distress_content.content(),
                      recogniser=Recogniser(fit(train), "held-out", second))
    with mock.patch.object(distress_content, "content", lambda: content):
        found = [triage(e["text"]).distress for e in held]
    positives = [f for e, f in zip(held, found, strict=True) if e["label"]]
    emergencies = [f for e, f in zip(held, found, strict=True) if e.get("emergency")]
    negatives = [f for e, f in zip(held, found, strict=True) if not e["label"]]
    assert sum(positives) / len(positives) >= 0.95
    assert all(emergencies)
    assert 1 - sum(negatives) / len(negatives) >= 0.90  # 0.969 measured (README: triage-eval)


@pytest.mark.quality
def test_blind_batch_6_stays_held_out_and_keeps_its_figures() -> None:
    """Batch 6 was written blind and is not training data: recall, every emergency, ordinary
    messages untouched, and close calls at least as measured (README: 0.925)."""
    path = ROOT / "tests" / "data" / "blind" / "distress_batch6.jsonl"
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    ours = {r["id"] for r in _rows()}
    assert not ours & {r["id"] for r in rows}  # never trained on
    found = {r["id"]: triage(r["text"]).distress for r in rows}
    real = [found[r["id"]] for r in rows if r["label"]]
    close = [found[r["id"]] for r in rows if r["family"].startswith("close")]
    ordinary = [found[r["id"]] for r in rows if r["family"].startswith("ordinary")]
    assert sum(real) / len(real) >= 0.95
    assert all(found[r["id"]] for r in rows if r.get("emergency"))
    assert not any(ordinary)
    assert 1 - sum(close) / len(close) >= 0.90


@pytest.mark.parametrize("text", ["ကယ်ကြပါဦး 🙏", "help", "help me please", "救命啊", "ช่วยด้วย"])
def test_a_bare_call_for_help_is_distress_whatever_the_models_say(text: str) -> None:
    """Blind batch 11: a Burmese "please save us 🙏" scored 0.06 and got no contact."""
    assert triage(text).distress


@pytest.mark.parametrize("text", [
    "救命 开会开了四个小时还没结束",  # a joke around "help" is not bare: the models decide
    "help me with my homework please, the essay is due tomorrow",
])
def test_a_call_for_help_inside_a_longer_message_is_not_bare(text: str) -> None:
    from bot.engines import distress_signals as engine
    from bot.engines import distress_training as training
    from bot.engines.distress_content import content

    data = content()
    signals = [s for s in data.signals if s.id == engine.CALL_FOR_HELP]
    assert not engine.is_bare_call_for_help(fold(training.model_text(text)), signals,
                                            data.bare_cry_other_letters)  # fmt: skip


@pytest.mark.parametrize("value", ["6", -1, 21, True, 2.5])
def test_bare_cry_setting_errors_name_the_field(tmp_path, value) -> None:
    import shutil

    from bot.content import ContentError

    shutil.copy(CONTENT / "distress.yml", tmp_path / "distress.yml")
    path = tmp_path / "distress.yml"
    text = path.read_text(encoding="utf-8")
    assert "  bare_cry_other_letters: 6\n" in text
    path.write_text(text.replace("  bare_cry_other_letters: 6\n",
                                 f"  bare_cry_other_letters: {value!r}\n"), encoding="utf-8")
    with pytest.raises(ContentError, match="bare_cry_other_letters"):
        load_distress(tmp_path)


def test_traditional_chinese_matches_the_simplified_patterns() -> None:
    """Signals read traditional characters as simplified; the model reads the text as written."""
    from bot.engines.text import to_simplified as simplified

    traditional = "要我匯錢贖人，不然就把他賣到別的園區"
    simple = "要我汇钱赎人，不然就把他卖到别的园区"
    assert simplified(traditional) == simple
    assert simplified("help, no Chinese here") == "help, no Chinese here"
    sold = "不然就把他賣到別的園區"
    assert set(match_signals(sold)) == set(match_signals("不然就把他卖到别的园区"))
    assert "THREAT_OF_SALE" in match_signals(sold)


def test_swapped_content_reaches_every_reader(monkeypatch: pytest.MonkeyPatch) -> None:
    """One place serves the distress content: a test (or triage-eval) that swaps it changes the
    decision, the signal matchers and the code words alike (the seam of session 16's review)."""
    from dataclasses import replace

    from tests.helpers import use_content

    cry = "they beat us every night and took our passports"
    assert match_signals(cry) and triage(cry).signals
    use_content(monkeypatch, replace(distress_content.content(), signals=(), code_words=None))
    assert match_signals(cry) == [] and triage(cry).signals == []
    assert not is_code_word("anything")
