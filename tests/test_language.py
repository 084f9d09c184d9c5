"""Tests for language identification (bot.engines.language) on a labelled set of user messages."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from bot import LANGUAGES
from bot.engines.language import LanguageGuess, detect_language, normalize_language_code
from bot.engines.text import normalize, zawgyi_probability

CASES_FILE = Path(__file__).parent / "data" / "language_cases.jsonl"


def _load_cases() -> list[dict]:
    with CASES_FILE.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


CASES = _load_cases()


def test_case_file_is_well_formed() -> None:
    per_lang = Counter(case["lang"] for case in CASES)
    assert len(CASES) >= 250
    for lang in LANGUAGES:
        assert per_lang[lang] >= 20, lang
    assert all(case["lang"] in LANGUAGES for case in CASES)
    assert sum(1 for case in CASES if case.get("reliable") is False) >= 10
    assert sum(1 for case in CASES if case.get("zawgyi")) >= 10


def test_language_accuracy_on_labelled_messages() -> None:
    total: Counter[str] = Counter()
    correct: Counter[str] = Counter()
    misses = []
    for case in CASES:
        if case.get("reliable") is False:
            continue
        guess = detect_language(case["text"], case.get("hint"))
        total[case["lang"]] += 1
        if guess.code == case["lang"] and guess.reliable:
            correct[case["lang"]] += 1
        else:
            misses.append((case["lang"], guess, case["text"]))
    print("\nper-language accuracy (expected reliable):")
    for lang in LANGUAGES:
        print(f"  {lang}: {correct[lang]}/{total[lang]} = {correct[lang] / total[lang]:.3f}")
    overall = sum(correct.values()) / sum(total.values())
    print(f"  overall: {overall:.3f}")
    for miss in misses:
        print("  miss:", miss)
    assert overall >= 0.95
    for lang in LANGUAGES:
        assert correct[lang] / total[lang] >= 0.90, lang


def test_content_free_messages_are_not_reliable() -> None:
    cases = [case for case in CASES if case.get("reliable") is False]
    for case in cases:
        guess = detect_language(case["text"], case.get("hint"))
        assert guess == LanguageGuess(case["lang"], False), case


def test_zawgyi_messages_are_real_zawgyi_and_convert() -> None:
    zawgyi = [case for case in CASES if case.get("zawgyi")]
    for case in zawgyi:
        assert zawgyi_probability(case["text"]) > 0.9, case["text"]
        assert normalize(case["text"]) == normalize(case["unicode"])
        assert detect_language(case["text"]) == LanguageGuess("my", True)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Non-Latin script wins over English words mixed in.
        ("สวัสดีครับ I need help with my job offer in Dubai", "th"),
        ("I need help 我的护照被扣了 please", "zh"),
        ("job offer ကို ဘယ်လိုစစ်ရမလဲ", "my"),
        ("customer service job នៅភ្នំពេញ", "km"),
        ("online job ຢູ່ລາວ", "lo"),
        ("visa process कति दिन लाग्छ", "ne"),
        # Latin languages with English words mixed in.
        ("may job offer po sa akin sa Cambodia, legit ba?", "tl"),
        ("kak ini job offer nya legit gak ya", "id"),
        ("job này có legit không ạ", "vi"),
        ("cho em hoi job nay co legit khong", "vi"),
        # Vietnamese letters decide even a short message.
        ("cứu em", "vi"),
        ("Cảm ơn", "vi"),
    ],
)
def test_mixed_and_short_messages(text: str, expected: str) -> None:
    guess = detect_language(text)
    assert guess.code == expected
    assert guess.reliable


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("th", "th"),
        ("zh-hans", "zh"),
        ("zh-Hant-TW", "zh"),
        ("zh_CN", "zh"),
        ("my", "my"),
        ("fil", "tl"),
        ("tl", "tl"),
        ("in", "id"),
        ("ms", "id"),
        ("en-US", "en"),
        ("EN", "en"),
        ("ne-NP", "ne"),
        ("pt-br", None),
        ("", None),
        (None, None),
        ("   ", None),
    ],
)
def test_normalize_language_code(code: str | None, expected: str | None) -> None:
    assert normalize_language_code(code) == expected


def test_hint_breaks_ties_only_when_unreliable() -> None:
    # Strong evidence beats the hint.
    assert detect_language("tolong saya, paspor saya ditahan", "fil") == LanguageGuess("id", True)
    assert detect_language("ช่วยด้วย", "en").code == "th"
    # No evidence: the hint is used.
    assert detect_language("ok", "zh-hans") == LanguageGuess("zh", False)
    assert detect_language("👍", "xx") == LanguageGuess("en", False)


@pytest.mark.parametrize(
    "junk",
    [
        "",
        "\ud800",
        "\x00\x01\x02",
        bytes(range(256)).decode("latin-1"),
        "😀" * 10_000,
        "ab\x00\ud800🙂" * 200_000,
        "a" * 1_000_000,
        "asdfgh qwerty zxcvb",
        "1234 5678 +66 81 234 5678",
        "http://t.me/somebody",
    ],
)
def test_detect_language_never_raises(junk: str) -> None:
    guess = detect_language(junk)
    assert guess.code in LANGUAGES
    assert isinstance(guess.reliable, bool)


def test_detect_language_non_str_does_not_raise() -> None:
    assert detect_language(None) == LanguageGuess("en", False)  # type: ignore[arg-type]
    assert detect_language(42, "th") == LanguageGuess("th", False)  # type: ignore[arg-type]


def test_detection_is_deterministic() -> None:
    text = "saya mau tanya soal lowongan kerja di luar negeri"
    first = detect_language(text)
    assert all(detect_language(text) == first for _ in range(5))


