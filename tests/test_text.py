"""Tests for text normalisation (bot.engines.text) and word segmentation (bot.engines.segment)."""

from __future__ import annotations

import pytest

from bot.engines import segment as seg
from bot.engines.segment import segment
from bot.engines.text import normalize, to_ascii_digits, zawgyi_probability, zawgyi_to_unicode

# "Thank you" in Burmese, typed in Zawgyi encoding (as on older phones), and its Unicode form.
ZAWGYI_THANKS = "ေက်းဇူးတင္ပါတယ္"
UNICODE_THANKS = "ကျေးဇူးတင်ပါတယ်"
# "They took my passport" in Zawgyi.
ZAWGYI_PASSPORT = "ပတ္စပို႔ကို သိမ္းထားတယ္"
UNICODE_PASSPORT = "ပတ်စပို့ကို သိမ်းထားတယ်"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("HELLO   World", "hello world"),
        ("  padded\t\ttext \n", "padded text"),
        ("line one\nline two\r\nline three", "line one line two line three"),
        ("Ｈｅｌｌｏ　ＷＯＲＬＤ", "hello world"),  # full-width letters, ideographic space
        ("Straße", "strasse"),  # case folding, not just lower()
        ("ＬＩＮＥ ＩＤ：ａｂｃ", "line id:abc"),
        ("ﬁnance", "finance"),  # ligature
        ("Việc Nhẹ Lương Cao", "việc nhẹ lương cao"),
        ("Vie\u0323\u0302c", "việc"),  # decomposed Vietnamese composes under NFKC
        ("สวัสดี ครับ", "สวัสดี ครับ"),
        ("👍", "👍"),
        ("", ""),
    ],
)
def test_normalize_basic(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("he\u200bllo", "hello"),  # zero-width space
        ("\ufeffhello", "hello"),  # BOM
        ("hel\u200clo wor\u200dld", "hello world"),  # ZWNJ, ZWJ
        ("pass\u00adport", "passport"),  # soft hyphen
        ("\u202eabc\u202c", "abc"),  # bidi override
        ("a\x00b\x07c", "abc"),  # control characters
        ("a\u2028b\u2029c", "a b c"),  # line/paragraph separators separate words
        ("ช่วย\u200bด้วย", "ช่วยด้วย"),
    ],
)
def test_normalize_removes_invisible_characters(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("๑๒๓๔๕๖๗๘๙๐", "1234567890"),  # Thai
        ("໑໒໓໔໕໖໗໘໙໐", "1234567890"),  # Lao
        ("၁၂၃၄၅၆၇၈၉၀", "1234567890"),  # Burmese
        ("១២៣៤៥៦៧៨៩០", "1234567890"),  # Khmer
        ("१२३४५६७८९०", "1234567890"),  # Devanagari (Nepali)
        ("١٢٣٤٥٦٧٨٩٠", "1234567890"),  # Arabic-Indic
        ("۱۲۳۴۵۶۷۸۹۰", "1234567890"),  # Extended Arabic-Indic
        ("１２３４５６７８９０", "1234567890"),  # full-width
        ("১২৩", "123"),  # Bengali
        ("𝟏𝟐𝟑", "123"),  # mathematical bold digits
    ],
)
def test_digits_of_every_script_become_ascii(raw: str, expected: str) -> None:
    assert normalize(raw) == expected
    assert to_ascii_digits(raw) == expected


def test_to_ascii_digits_keeps_other_text() -> None:
    assert to_ascii_digits("เงินเดือน ๕๐,๐๐๐ บาท") == "เงินเดือน 50,000 บาท"
    assert to_ascii_digits("salary 40000") == "salary 40000"
    assert to_ascii_digits("लाख ८०") == "लाख 80"


def test_digits_inside_messages() -> None:
    assert normalize("เงินเดือน ๕๐,๐๐๐ บาท") == "เงินเดือน 50,000 บาท"
    assert normalize("ប្រាក់ខែ ១០០០ ដុល្លារ") == "ប្រាក់ខែ 1000 ដុល្លារ"
    assert normalize("महिनाको ८० हजार") == "महिनाको 80 हजार"


def test_zawgyi_is_detected_and_converted() -> None:
    assert zawgyi_probability(ZAWGYI_THANKS) > 0.9
    assert zawgyi_probability(UNICODE_THANKS) < 0.1
    assert zawgyi_to_unicode(ZAWGYI_THANKS) == UNICODE_THANKS
    assert normalize(ZAWGYI_THANKS) == UNICODE_THANKS
    assert normalize(ZAWGYI_PASSPORT) == UNICODE_PASSPORT
    # Mixed with English and Zawgyi digits.
    assert normalize("OK " + ZAWGYI_THANKS + " ၁၀၀") == "ok " + UNICODE_THANKS + " 100"


def test_unicode_burmese_and_other_text_unchanged_by_zawgyi_step() -> None:
    assert zawgyi_to_unicode(UNICODE_THANKS) == UNICODE_THANKS
    text = "hello world, สวัสดี"
    assert zawgyi_to_unicode(text) is text
    assert zawgyi_probability(text) == 0.0


def test_burmese_digit_zero_typed_for_letter_wa() -> None:
    # "staff" written with digit zero instead of wa, in Unicode and in Zawgyi.
    assert normalize("၀န်ထမ်း") == "ဝန်ထမ်း"
    assert normalize("၀န္ထမ္း ၁၀၀ ေယာက္") == "ဝန်ထမ်း 100 ယောက်"
    # Real numbers stay numbers.
    assert normalize("၁၀၀ ယောက်") == "100 ယောက်"
    assert normalize("၂၀၂၄") == "2024"


@pytest.mark.parametrize(
    "junk",
    [
        "\ud800",  # lone surrogate
        "abc\udfffdef",
        bytes(range(256)).decode("latin-1"),
        "\x00" * 100,
        "👍🙏😭" * 50,
        "\u0e47\u0e48\u0e49" * 10,  # Thai tone marks without base letters
        "\u1031\u103b" * 10,  # Burmese signs without base letters
        "a" * 1_000_000,
        ("ab\x00\ud800🙂ျမန္မာ" * 100_000),
        "\U0010ffff\ue000\ufffe",
    ],
    ids=lambda junk: f"{len(junk)}-chars",  # the 1.1M-character case would be its own test id
)
def test_normalize_never_raises(junk: str) -> None:
    out = normalize(junk)
    assert isinstance(out, str)
    out.encode("utf-8")  # no lone surrogates left
    assert "\x00" not in out
    assert normalize(out) == out  # idempotent


def test_normalize_non_str_does_not_raise() -> None:
    assert normalize(None) == "none"  # type: ignore[arg-type]
    assert normalize(123) == "123"  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "text",
    [
        "Hi, I got a job offer in Cambodia! Is it LEGIT?",
        "Việc nhẹ lương cao, không cần kinh nghiệm ១២៣",
        ZAWGYI_THANKS,
        "ＬＩＮＥ ＩＤ：ａｂｃ ๕๐,๐๐๐",
        "Straße\u200b ǰ",
    ],
)
def test_normalize_is_idempotent(text: str) -> None:
    once = normalize(text)
    assert normalize(once) == once


# --- segmentation ---------------------------------------------------------------------------


def _check_offsets(text: str, tokens: list[tuple[str, int, int]]) -> None:
    last_end = 0
    for token, start, end in tokens:
        assert text[start:end] == token
        assert start >= last_end
        assert token.strip() == token and token
        last_end = end


@pytest.mark.parametrize(
    ("text", "expected_words"),
    [
        ("ฉันต้องการความช่วยเหลือ", {"ฉัน", "ต้องการ"}),
        ("งานออนไลน์ รายได้สูง ไม่ต้องใช้ทักษะ", {"งาน", "ออนไลน์", "สูง"}),
        ("我被骗到柬埔寨了，护照被没收", {"柬埔寨", "护照"}),
        ("ខ្ញុំត្រូវការជំនួយ", {"ខ្ញុំ", "ជំនួយ"}),
        ("ຂ້ອຍຕ້ອງການຄວາມຊ່ວຍເຫຼືອ", {"ຂ້ອຍ", "ຕ້ອງການ"}),
        ("ကျွန်တော် အကူအညီ လိုအပ်တယ်", {"ကျွန်တော်", "အကူအညီ"}),
        ("मलाई मद्दत चाहिन्छ", {"मलाई", "मद्दत", "चाहिन्छ"}),
        ("I don't know, help!!!", {"I", "don't", "know", "help"}),
    ],
)
def test_segment_words(text: str, expected_words: set[str]) -> None:
    tokens = segment(text)
    _check_offsets(text, tokens)
    words = {t for t, _, _ in tokens}
    assert expected_words <= words
    # Scripts without spaces are split into several words, not kept as one run.
    assert len(tokens) >= len(expected_words)


def test_segment_mixed_script_and_punctuation_dropped() -> None:
    text = "สวัสดีครับ, I need help!!! งาน data entry ... 1,000 บาท ???"
    tokens = segment(text)
    _check_offsets(text, tokens)
    words = [t for t, _, _ in tokens]
    assert "need" in words and "help" in words and "data" in words and "entry" in words
    assert "สวัสดี" in words and "บาท" in words
    assert not any(w in {",", "!!!", "...", "???", " "} for w in words)


def test_segment_offsets_with_astral_characters() -> None:
    # Emoji and rare Han characters take two UTF-16 code units: offsets must still be str indices.
    text = "😀 help 𠀀我 是 🙏 ok 柬埔寨"
    tokens = segment(text)
    _check_offsets(text, tokens)
    words = [t for t, _, _ in tokens]
    assert "help" in words and "ok" in words and "柬埔寨" in words


@pytest.mark.parametrize("junk", ["", "   ", "...!!!", "\ud800abc", "\x00\x01", "a" * 100_000])
def test_segment_never_raises(junk: str) -> None:
    tokens = segment(junk)
    _check_offsets(junk, tokens)


def test_segment_fallback_without_icu(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(seg, "_word_iterator", lambda: None)
    text = "ช่วยด้วย help me 我被骗 ok"
    tokens = segment(text)
    _check_offsets(text, tokens)
    words = [t for t, _, _ in tokens]
    assert "help" in words and "me" in words and "ok" in words
    assert {"我", "被", "骗"} <= set(words)
    assert "ช่" in words  # Thai split per character, marks kept with their base letter
