"""Amount parser: numbers, multipliers, scripts, currencies and pay periods."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.content import CONTENT_DIR, ContentError
from bot.engines.amounts import extract_amounts, stated_hours_per_day
from bot.engines.salaries import SALARIES_FILE, load_salary_sense


def one(text: str, language: str | None = None, country: str | None = None):
    amounts = extract_amounts(text, language, country)
    assert amounts, f"no amount in {text!r}"
    return amounts[-1]


@pytest.mark.parametrize(
    ("text", "language", "value", "currency", "period"),
    [
        ("salary 35,000 THB", None, 35_000, "THB", "month"),
        ("lương 1.5 triệu", "vi", 1_500_000, "VND", "month"),
        ("gaji 15 juta", "id", 15_000_000, "IDR", "month"),
        ("gaji 18jt", "id", 18_000_000, "IDR", "month"),
        ("月薪2万", "zh", 20_000, "CNY", "month"),
        ("月薪一万五", "zh", 15_000, "CNY", "month"),
        ("လစာ ၃၅,၀၀၀", None, 35_000, "MMK", "month"),
        ("60k monthly", "tl", 60_000, "PHP", "month"),
        ("RM 1,700 per month", None, 1_700, "MYR", "month"),
        ("$1,200", None, 1_200, "USD", "month"),
        ("1.200 USD/tháng", None, 1_200, "USD", "month"),
        ("तलब १ लाख ५० हजार", "ne", 150_000, "NPR", "month"),
        ("तलब दुई लाख", "ne", 200_000, "NPR", "month"),
        ("ค่าแรงวันละ 370 บาท", None, 370, "THB", "day"),
        ("₱610 kada araw", None, 610, "PHP", "day"),
        ("25.000đ/giờ", None, 25_000, "VND", "hour"),
        ("月薪新币2,800", None, 2_800, "SGD", "month"),
        ("时薪22元", None, 22, "CNY", "hour"),
        ("ເງິນເດືອນ 15 ລ້ານກີບ", None, 15_000_000, "LAK", "month"),
        ("လစာ ၁၅ သိန်း", None, 1_500_000, "MMK", "month"),
        ("ប្រាក់ខែ 1500$", None, 1_500, "USD", "month"),
        ("lương 6,5 triệu", None, 6_500_000, "VND", "month"),
        ("SGD 7,000 per month", None, 7_000, "SGD", "month"),
        ("salary 120,000 a year", "en", 120_000, None, "year"),
    ],
)
def test_amounts(text: str, language: str | None, value: float, currency: str | None,
                 period: str) -> None:
    amount = one(text, language)
    assert amount.value == pytest.approx(value)
    assert amount.currency == currency
    assert amount.period == period


def test_ranges_share_unit_and_currency() -> None:
    values = [(a.value, a.currency) for a in extract_amounts("lương 25-30 triệu/tháng")]
    assert values == [(25_000_000, "VND"), (30_000_000, "VND")]
    values = [(a.value, a.currency) for a in extract_amounts("40,000-60,000 บาท")]
    assert values == [(40_000, "THB"), (60_000, "THB")]


def test_destination_currency_when_nothing_else() -> None:
    assert one("salary 1500", "en", "KH").currency == "USD"
    assert one("salary 45000", None, "TH").currency == "THB"


def test_non_money_numbers_are_ignored() -> None:
    assert extract_amounts("work 8 hours a day, 2 years of experience, JLPT N4") == []


def test_monthly_value() -> None:
    amount = one("370 baht per day")
    assert amount.monthly_value == pytest.approx(370 * 26)


@pytest.mark.parametrize("junk", ["", "🙂🙂", "\x00\xff", "1" * 5000, "万万万万"])
def test_never_raises(junk: str) -> None:
    extract_amounts(junk)


def test_hours_a_day_are_read_only_when_stated_and_plausible() -> None:
    """They scale an hourly rate (redflags): absent or absurd, a full-time month is assumed."""
    assert stated_hours_per_day("VA part-time, 4hrs/day, ₱300/hr") == 4
    assert stated_hours_per_day("6 hours a day, 5 days a week") == 6
    assert stated_hours_per_day("₱300/hr, flexible") is None
    assert stated_hours_per_day("24 hours a day support") is None
    assert stated_hours_per_day("$6/hr, 15 hrs/week via Upwork") == pytest.approx(15 / 5.2)
    assert stated_hours_per_day("40 hours a week, $6/hr") is None  # full time


def test_a_currency_or_unit_word_never_ends_inside_a_longer_word() -> None:
    """"56 Trần Duy Hưng" is an address, not 56 triệu; "yên" after a number is yen."""
    text = "Lương 185.000 yên/tháng. Trụ sở: 56 Trần Duy Hưng, Hà Nội."
    assert [(a.value, a.currency) for a in extract_amounts(text, "vi")] == [(185_000, "JPY")]
    (amount,) = extract_amounts("yue xin 3 wan, bao chi bao zhu", "id")
    assert (amount.value, amount.currency) == (30_000, "CNY")  # pinyin wan: Chinese money


def test_a_bare_hour_word_is_not_an_hourly_rate() -> None:
    """Khmer "ម៉ោងបន្ថែម" is overtime hours: "$7 ម៉ោងបន្ថែម" is not $7 an hour."""
    assert one("ប្រាក់ឧបត្ថម្ភ ៧$ ម៉ោងបន្ថែមបង់តាមច្បាប់").period == "month"
    assert one("ប្រាក់ 3$ ក្នុងមួយម៉ោង").period == "hour"


def test_ship_crews_are_paid_to_one_international_standard(tmp_path: Path) -> None:
    """A country row may leave ship_crew out: the default's USD figure, in its own currency."""
    sense = load_salary_sense()
    assert sense.typical["TH"]["ship_crew"] == pytest.approx(
        sense.typical["default"]["ship_crew"] * sense.fx_per_usd["THB"])
    shipped = (CONTENT_DIR / SALARIES_FILE).read_text(encoding="utf-8")
    without = shipped.replace(" ship_crew: 1000,", "", 1)
    (tmp_path / SALARIES_FILE).write_text(without, encoding="utf-8")
    with pytest.raises(ContentError) as error:
        load_salary_sense(tmp_path)
    assert "salaries.yml" in str(error.value) and "typical.default" in str(error.value)
    assert "ship_crew" in str(error.value)


def test_romanised_thai_wan_is_a_day_unless_a_pay_word_comes_first() -> None:
    """units_needing_pay_word (salaries.yml): "tham 6 wan" works six days; "yue ru 2 wan" is pay."""
    assert not [a for a in extract_amounts("rap samak khon khai khong, tham 6 wan, hayud 1 wan")
                if a.value >= 10_000]
    (amount,) = extract_amounts("zhao ke fu, yue ru 2 wan, bao chi bao zhu")
    assert (amount.value, amount.currency) == (20_000, "CNY")


def test_an_amount_after_a_fee_word_is_a_fee_not_pay() -> None:
    """fee_words (salaries.yml): money asked of the worker is never read as a wage."""
    fee, = extract_amounts("biaya Rp 8 juta dibayar ke calo", "id")
    assert fee.fee and fee.value == 8_000_000
    pay, = extract_amounts("gaji Rp 8 juta, tanpa biaya", "id")
    assert not pay.fee
    both = extract_amounts("Placement fee $500, salary $450 a month")
    assert [a.fee for a in both] == [True, False]


def test_a_unit_needing_a_pay_word_must_be_a_multiplier(tmp_path: Path) -> None:
    shipped = (CONTENT_DIR / SALARIES_FILE).read_text(encoding="utf-8")
    assert "units_needing_pay_word: ['wan'" in shipped
    (tmp_path / SALARIES_FILE).write_text(
        shipped.replace("units_needing_pay_word: ['wan'", "units_needing_pay_word: ['wun'"),
        encoding="utf-8",
    )
    with pytest.raises(ContentError) as error:
        load_salary_sense(tmp_path)
    assert "salaries.yml" in str(error.value) and "units_needing_pay_word" in str(error.value)


@pytest.mark.parametrize(("text", "value"), [
    ("လစာ သိန်း ၂၀ ရမယ်", 2_000_000),  # Burmese writes the multiplier before the number too
    ("လစာ ၂၀ သိန်း", 2_000_000),
    ("lasa thein 15", 1_500_000),
])
def test_a_multiplier_before_the_number(text: str, value: float) -> None:
    assert [a.value for a in extract_amounts(text, "my", "MM")][:1] == [value]
