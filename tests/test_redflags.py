"""Job-offer red flags: accuracy on the labelled set, evidence, scoring, content errors, CLI."""

from __future__ import annotations

import json
import os
import shutil
from collections import defaultdict
from pathlib import Path

import pytest

import bot.content
from bot import LANGUAGES
from bot.content import ContentError
from bot.engines.places import find_places
from bot.engines.redflags import (
    check_offer,
    explanation,
    indicator_ids,
    load_rules,
    looks_like_job_offer,
    reset_caches,
    rules,
)
from tests.helpers import run_cli

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "tests" / "data" / "offers.jsonl"
SHARED = REPO.parent / "shared" / "examples" / "offers.jsonl"
REFERENCE_IDS = {
    "HIGH_PAY_LOW_SKILL", "NO_QUALIFICATIONS", "TOURIST_VISA", "SOCIAL_MEDIA_RECRUITER",
    "VAGUE_OFFICE_ROLE", "ALL_COSTS_COVERED", "ADVANCE_SALARY", "DESTINATION_SWITCH",
    "ILLEGAL_CROSSING", "NO_CONTRACT_FIRST", "UNVERIFIABLE_EMPLOYER", "FEES_URGENCY",
    "FAKE_RETURN_TICKET", "TARGETS_SKILLED", "PASSPORT_HANDOVER", "SCAM_HUB",
}


def _load(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def _records() -> list[dict]:
    records = {r["id"]: r for r in _load(DATA)}
    if SHARED.exists():  # the shared examples must be in our set and keep their labels
        for r in _load(SHARED):
            records.setdefault(r["id"], r)
    return list(records.values())


# --- accuracy -----------------------------------------------------------------------------------


def _accuracy(language_hint: bool) -> dict[str, list[int]]:
    stats: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for r in _records():
        result = check_offer(r["text"], r["lang"] if language_hint else None)
        flagged = result.risk != "low"
        for key in (r["lang"], "all"):
            s = stats[key]
            if r["label"] == "risky":
                s[0] += 1
                s[1] += flagged
            else:
                s[2] += 1
                s[3] += not flagged
    return stats


@pytest.mark.parametrize("language_hint", [True, False])
def test_recall_and_specificity_per_language(language_hint: bool) -> None:
    stats = _accuracy(language_hint)
    failures = []
    for lang in [*LANGUAGES, "all"]:
        risky, caught, safe, passed = stats[lang]
        assert risky and safe, f"no data for {lang}"
        recall, specificity = caught / risky, passed / safe
        print(f"{lang}: recall {recall:.2f} ({caught}/{risky}) "
              f"specificity {specificity:.2f} ({passed}/{safe})")
        if recall < 0.95 or specificity < 0.90:
            failures.append(lang)
    assert not failures, f"below target: {failures}"


def test_dataset_shape() -> None:
    records = _records()
    assert len(records) >= 120
    per_lang = defaultdict(int)
    for r in records:
        assert set(r) >= {"id", "lang", "label", "text"} and r["label"] in ("risky", "safe")
        per_lang[r["lang"]] += 1
    assert all(per_lang[lang] >= 12 for lang in LANGUAGES), per_lang
    ids = {r["id"] for r in _load(DATA)}
    if SHARED.exists():
        assert {r["id"] for r in _load(SHARED)} <= ids


# --- behaviour ------------------------------------------------------------------------------------


def test_indicators_cover_reference() -> None:
    assert REFERENCE_IDS <= set(indicator_ids())


def test_explanations_all_languages_and_fallback() -> None:
    for iid in indicator_ids():
        for lang in LANGUAGES:
            assert explanation(iid, lang)
    assert explanation("TOURIST_VISA", "xx") == explanation("TOURIST_VISA", "en")
    assert explanation("NO_SUCH_FLAG", "en") == ""


def test_evidence_is_span_of_original_text() -> None:
    text = "Ｗｏｒｋ in  MYAWADDY!! Việc nhẹ lương cao, bao ăn ở. Send a photo of your passport."
    result = check_offer(text)
    assert result.flags
    for flag in result.flags:
        assert text[flag.start:flag.end] == flag.evidence
    ids = {f.id for f in result.flags}
    assert {"SCAM_HUB", "HIGH_PAY_LOW_SKILL", "PASSPORT_HANDOVER"} <= ids
    hub = next(f for f in result.flags if f.id == "SCAM_HUB")
    assert hub.evidence == "MYAWADDY"


def test_thai_evidence_survives_nfkc() -> None:
    text = "ทำงานที่กัมพูชา งานสบาย รายได้สูง ไม่ต้องมีประสบการณ์"
    result = check_offer(text, "th")
    for flag in result.flags:
        assert text[flag.start:flag.end] == flag.evidence


def test_high_pay_uses_salary_tables() -> None:
    flagged = check_offer("45,000 THB per month for chat support in Bangkok, no experience")
    assert "HIGH_PAY_LOW_SKILL" in {f.id for f in flagged.flags}
    assert "45,000 THB" in [f.evidence for f in flagged.flags]
    engineer = check_offer("Software engineer in Singapore, SGD 7,000 per month, 5 years Python")
    assert "HIGH_PAY_LOW_SKILL" not in {f.id for f in engineer.flags}
    packer = check_offer("Warehouse packer in Penang, RM 1,700 per month")
    assert "HIGH_PAY_LOW_SKILL" not in {f.id for f in packer.flags}


def test_one_weak_sign_is_not_a_verdict() -> None:
    assert check_offer("Phone shop assistant, message us on Telegram").risk == "low"
    assert check_offer("Free accommodation for all hotel staff in Phuket").risk == "low"


@pytest.mark.parametrize(
    "text",
    [
        "Office job, free air ticket and hotel, travel on a tourist visa, typing work",
        "Job in Shwe Kokko, salary 50,000 baht for typing, easy job",
        "Work abroad, contact the recruiter only on Telegram, no experience needed",
    ],
)
def test_strong_combinations_are_high(text: str) -> None:
    result = check_offer(text, "en")
    assert result.risk == "high", result.to_dict()


@pytest.mark.parametrize(
    "text",
    [
        "Registered nurse in Dubai through a licensed agency, free housing, employment visa "
        "processed before travel, 2 years experience required, salary AED 9,000.",
        "Hotel maid in Phuket, 11,000 baht, social security, staff housing provided.",
        "Senior software engineer, USD 6,000 per month, remote, 5 years of experience.",
    ],
)
def test_ordinary_jobs_stay_low(text: str) -> None:
    assert check_offer(text, "en").risk == "low"


def test_to_dict_shape() -> None:
    data = check_offer("Customer service in Bangkok, free ticket, tourist visa").to_dict()
    assert set(data) == {"language", "risk", "score", "flags"}
    assert data["risk"] in ("high", "medium", "low") and 0 <= data["score"] <= 1
    assert all(set(f) == {"id", "evidence"} for f in data["flags"])


def test_looks_like_job_offer() -> None:
    assert looks_like_job_offer(
        "Hiring chat support in Cambodia, salary 1500 USD, free accommodation, contact Telegram")
    assert looks_like_job_offer("招聘柬埔寨打字员，月薪一万五，包吃包住，报销机票，无需经验。")
    assert not looks_like_job_offer("hello, how are you?")
    assert not looks_like_job_offer("I am scared, please help me, where is the embassy?")


def test_find_places_api() -> None:
    hits = find_places("Work in Shwe Kokko / 妙瓦底 near แม่สอด, not in Vietnam")
    ids = [h.id for h in hits]
    assert ids == ["shwe_kokko", "myawaddy", "mae_sot", "vietnam"]
    assert all(h.is_scam_hub for h in hits[:3]) and not hits[3].is_scam_hub
    assert hits[0].country == "MM" and hits[2].country == "TH"


@pytest.mark.parametrize(
    "junk",
    ["", "   ", "🙂🔥💰" * 50, "\x00\x01\xff binary \ud800", "a" * 1_000_000, "万" * 10_000],
)
def test_never_raises_on_junk(junk: str) -> None:
    result = check_offer(junk)
    assert result.risk in ("high", "medium", "low")
    looks_like_job_offer(junk)
    find_places(junk)


# --- content errors and reload ---------------------------------------------------------------


@pytest.fixture
def content_dir(tmp_path, monkeypatch):
    src = bot.content.CONTENT_DIR
    for name in ("indicators.yml", "places.yml", "salaries.yml"):
        shutil.copy(src / name, tmp_path / name)
    monkeypatch.setattr(bot.content, "CONTENT_DIR", tmp_path)
    reset_caches()
    yield tmp_path
    reset_caches()


def _break(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_bad_regex_names_file_entry_field(content_dir: Path) -> None:
    _break(content_dir / "indicators.yml", "'ခရီးသွား ?ဗီဇာ'", "'ခရီးသွား (ဗီဇာ'")
    with pytest.raises(ContentError) as err:
        load_rules(content_dir)
    assert err.value.file == "indicators.yml"
    assert err.value.entry == "TOURIST_VISA"
    assert err.value.field == "patterns.my[0]"
    assert "compile" in str(err.value)


def test_missing_explanation_names_field(content_dir: Path) -> None:
    _break(content_dir / "indicators.yml",
           '      km: "គេសុំឲ្យផ្ញើលិខិតឆ្លងដែន', '      kx: "គេសុំឲ្យផ្ញើលិខិតឆ្លងដែន')
    with pytest.raises(ContentError) as err:
        load_rules(content_dir)
    assert (err.value.entry, err.value.field) == ("PASSPORT_HANDOVER", "explanation.km")


def test_bad_weight_and_bad_place(content_dir: Path) -> None:
    _break(content_dir / "indicators.yml",
           "weight: 0.35\n    strength: strong\n    sources: [Suara",
           "weight: high\n    strength: strong\n    sources: [Suara")
    with pytest.raises(ContentError) as err:
        load_rules(content_dir)
    assert (err.value.entry, err.value.field) == ("TOURIST_VISA", "weight")
    from bot.engines.places import load_places

    _break(content_dir / "places.yml",
           "country: KH\n    region: Svay", "country: Cambodia\n    region: Svay")
    with pytest.raises(ContentError) as err:
        load_places(content_dir)
    assert (err.value.file, err.value.entry, err.value.field) == ("places.yml", "bavet", "country")


def test_last_good_content_kept_when_reload_fails(content_dir: Path) -> None:
    before = check_offer("Travel on a tourist visa, free ticket", "en").to_dict()
    assert "TOURIST_VISA" in {f["id"] for f in before["flags"]}
    path = content_dir / "indicators.yml"
    path.write_text("indicators: [ {id: BROKEN", encoding="utf-8")
    stat = path.stat()
    os.utime(path, (stat.st_atime, stat.st_mtime + 10))
    after = check_offer("Travel on a tourist visa, free ticket", "en").to_dict()
    assert after == before
    assert rules().indicators  # still the good version


# --- CLI ------------------------------------------------------------------------------------------


def test_cli_jsonl_bad_line_in_middle() -> None:
    lines = [
        json.dumps({"id": "a", "text": "Chat support in Myawaddy, 50,000 baht, free ticket"}),
        "{not json",
        json.dumps({"id": "c", "text": 42}),
        json.dumps({"id": "d", "text": "Barista in Chiang Mai, 12,000 baht, apply in person"}),
    ]
    proc = run_cli(["check", "--jsonl"], "\n".join(lines) + "\n")
    assert proc.returncode == 0, proc.stderr
    out = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [o.get("id") for o in out] == ["a", None, "c", "d"]
    assert out[0]["risk"] == "high" and "flags" in out[0]
    assert "error" in out[1] and "error" in out[2]
    assert out[3]["risk"] == "low"
    assert set(out[0]) == {"id", "language", "risk", "score", "flags"}


def test_cli_single() -> None:
    proc = run_cli(["check"], "Việc nhẹ lương cao tại Campuchia, bao vé máy bay, visa du lịch")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["language"] == "vi" and data["risk"] == "high"
