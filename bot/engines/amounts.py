"""Money amounts in job ads: "35,000", "35k", "1.5 triệu", "15 juta", "2万", "一万五", "၃၅,၀၀၀",
"RM 1,700", "$1,200", "1.200 USD/tháng", "१ लाख ५० हजार".

:func:`extract_amounts` returns every salary-like amount with its value, currency (explicit, or
inferred from a unit word, the digit script, the message language or the destination country) and
pay period (month by default). A bare number counts only when it carries a currency, a multiplier
or follows a salary word, so "8 hours" or "2 years" are not salaries.

The vocabulary (currency names, multipliers, period words) and the salary tables live in
``content/salaries.yml``, loaded by :mod:`bot.engines.salaries`.
Offsets (``start``/``end``) index the *normalised* text (:func:`bot.engines.text.normalize`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.engines.salaries import PERIOD_PER_MONTH, SalarySense, salary_sense
from bot.engines.text import normalize

#: "4 hrs/day", "6 hours a day", "4 oras kada araw", "5 jam/hari": hours a day stated next to an
#: hourly rate (a part-time job), so "PHP 300/hr" is not read as a full-time month of 208 hours.
_HOURS_PER_DAY = re.compile(
    r"\b(\d{1,2}(?:\.\d)?) ?(?:hrs?|hours?|oras|jam|gio|giờ|ชั่วโมง|小时|घण्टा)"
    r" ?(?:/|per|a|an|kada|sa isang|each|mỗi|moi|ต่อ|每)? ?(?:day|araw|hari|ngay|ngày|วัน|天|दिन)\b"
)


#: "15 hrs/week", "20 hours a week": a part-time week, read as hours a day over a 5.2-day week
#: (208 hours a month = 40 a week).
_HOURS_PER_WEEK = re.compile(
    r"\b(\d{1,2}) ?(?:hrs?|hours?|oras|jam|gio|giờ|ชั่วโมง|小时|घण्टा)"
    r" ?(?:/|per|a|an|kada|sa isang|each|mỗi|moi|ต่อ|每)? ?"
    r"(?:week|wk|linggo|minggu|tuan|tuần|สัปดาห์|周|星期|हप्ता)\b"
)


def stated_hours_per_day(text: str) -> float | None:
    """Hours a day an ad states (1..12, or a part-time week's share), or None.

    Scales an hourly rate to the month actually paid; a full-time week (40 hours or more) is
    not part-time and gives None.
    """
    match = _HOURS_PER_DAY.search(text)
    if match is not None:
        hours = float(match.group(1))
        return hours if 1 <= hours <= 12 else None
    week = _HOURS_PER_WEEK.search(text)
    if week is not None and 1 <= int(week.group(1)) < 40:
        return int(week.group(1)) / 5.2
    return None


# Scripts whose digits imply a currency when a number has none (checked on the raw text,
# because normalisation turns every digit into ASCII).
_DIGIT_SCRIPTS: dict[str, tuple[int, int]] = {
    "thai": (0x0E50, 0x0E59),
    "lao": (0x0ED0, 0x0ED9),
    "myanmar": (0x1040, 0x1049),
    "khmer": (0x17E0, 0x17E9),
    "devanagari": (0x0966, 0x096F),
}

# One character class for all of them: the first such digit is found in C, not in a Python loop.
_SCRIPT_DIGIT = re.compile(
    "[" + "".join(f"{chr(lo)}-{chr(hi)}" for lo, hi in _DIGIT_SCRIPTS.values()) + "]"
)

_CJK_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "兩": 2, "三": 3, "四": 4, "五": 5,
               "六": 6, "七": 7, "八": 8, "九": 9}
_CJK_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000, "万": 10_000,
              "萬": 10_000, "亿": 100_000_000, "億": 100_000_000}


@dataclass(frozen=True)
class Amount:
    """One amount of money found in a text (offsets over the normalised text)."""

    value: float
    currency: str | None
    period: str
    start: int
    end: int
    explicit_currency: bool = False
    #: The upper end of a range ("$700–850"): the lower end is what is promised for sure.
    range_top: bool = False
    #: A fee or cost ("biaya Rp 8 juta", "placement fee $500"): money asked for, not pay.
    fee: bool = False

    @property
    def monthly_value(self) -> float:
        return self.value * PERIOD_PER_MONTH.get(self.period, 1.0)




def _cjk_value(text: str) -> float:
    """Value of a Chinese numeral such as 一万五 (15,000), 两万 (20,000), 三千五百."""
    total = 0
    section = 0
    digit = 0
    last_unit = 1
    for ch in text:
        if ch in _CJK_DIGITS:
            digit = _CJK_DIGITS[ch]
        else:
            unit = _CJK_UNITS[ch]
            if unit >= 10_000:
                section = (section + (digit or (0 if section else 1))) * unit
                total += section
                section = 0
            else:
                section += (digit or 1) * unit
            digit = 0
            last_unit = unit
    if digit:  # "一万五" means 15,000: a trailing digit counts in tenths of the last unit
        section += digit * (last_unit // 10 if last_unit >= 10 else 1)
    return float(total + section)


def _parse_number(raw: str) -> float:
    """Parse "1,700", "1.200", "6,5", "1.5", "12.000.000" (group separators vs decimals)."""
    if re.fullmatch(r"\d{1,3}(?:[.,]\d{3})+", raw):
        return float(re.sub(r"[.,]", "", raw))
    m = re.fullmatch(r"(\d{1,3}(?:[.,]\d{3})+)[.,](\d{1,2})", raw)
    if m:
        return float(re.sub(r"[.,]", "", m.group(1)) + "." + m.group(2))
    return float(raw.replace(",", "."))


def digit_script(raw_text: str) -> str | None:
    """Name of the first non-ASCII digit script used in ``raw_text`` (thai, myanmar...), if any."""
    if raw_text.isascii():
        return None
    m = _SCRIPT_DIGIT.search(raw_text)
    if m is None:
        return None
    cp = ord(m.group())
    return next(name for name, (lo, hi) in _DIGIT_SCRIPTS.items() if lo <= cp <= hi)


def extract_amounts(
    text: str,
    language: str | None = None,
    country: str | None = None,
    *,
    normalized: bool = False,
    script: str | None = None,
) -> list[Amount]:
    """Salary-like amounts in ``text``; offsets index ``normalize(text)``.

    ``language`` (ISO 639-1) and ``country`` (ISO 3166 alpha-2 of the destination) are used only
    to infer a currency for numbers that carry none. Pass ``normalized=True`` when ``text`` is
    already normalised (then ``script`` may name the digit script of the raw text).
    """
    sense = salary_sense()
    if not normalized:
        script = digit_script(text)
        text = normalize(text)
    found: list[tuple[float, str | None, bool, str | None, int, int, bool]] = []
    fees: list[bool] = []
    for m in sense.number_re.finditer(text):
        unit = None
        if m.group("num"):
            value = _parse_number(m.group("num"))
            mult = m.group("mult")
            if mult:
                value *= sense.multipliers[mult]
                unit = mult
                if m.group("num2"):
                    value += float(m.group("num2")) * sense.multipliers[m.group("mult2")]
        elif m.group("cjk"):
            value = _cjk_value(m.group("cjk"))
            unit = "万" if value >= 1000 else None  # 十分 ("very") is not money
        elif m.group("word"):
            value = float(sense.number_words[m.group("word")]) * sense.multipliers[m.group("wmult")]
            unit = m.group("wmult")
        else:
            value = _parse_number(m.group("pnum")) * sense.multipliers[m.group("pmult")]
            unit = m.group("pmult")
        start, end = m.start(), m.end()
        currency = None
        before = text[max(0, start - 12):start]
        cb = sense.currency_before_re.search(before)
        if cb:
            currency = sense.currency_words[cb.group(0).strip()]
            start = max(0, start - 12) + cb.start()
        ca = sense.currency_after_re.search(text[end:end + 14])
        if ca:
            currency = currency or sense.currency_words[ca.group(0).strip()]
            end += ca.end()
        salary_ctx = bool(sense.salary_before_re.search(text[max(0, start - 24):start]))
        fee = _is_fee(sense, text[max(0, start - 20):start])
        if not currency and unit in sense.units_needing_pay_word and not salary_ctx:
            continue  # "tham 5 wan" (works 5 days), not 50,000 yuan
        if not currency and unit and unit in sense.unit_currency:
            currency = sense.unit_currency[unit]
        found.append((value, currency, currency is not None, unit, start, end, salary_ctx))
        fees.append(fee)

    amounts: list[Amount] = []
    for i, (value, currency, explicit, unit, start, end, salary_ctx) in enumerate(found):
        # A range "40,000-60,000 บาท" / "25-30 triệu": the first end borrows the second's unit.
        if i + 1 < len(found):
            nxt = found[i + 1]
            if sense.range_re.fullmatch(text[end:nxt[4]] or "x") or text[end:nxt[4]] in ("-", "–"):
                if unit is None and nxt[3] is not None and nxt[3] in sense.multipliers:
                    value *= sense.multipliers[nxt[3]]
                    unit = nxt[3]
                if currency is None and nxt[1] is not None:
                    currency, explicit = nxt[1], nxt[2]
                    if nxt[1] and not explicit:
                        explicit = False
                salary_ctx = salary_ctx or nxt[6]
        range_top = False
        if i > 0:
            prev = found[i - 1]
            if sense.range_re.fullmatch(text[prev[5]:start] or "x"):
                range_top = True
                salary_ctx = salary_ctx or prev[6]
                if currency is None and prev[1] is not None:
                    currency, explicit = prev[1], prev[2]
        if currency is None and unit is None and not salary_ctx:
            continue  # "8 hours", "2 years", "N4": not money
        if value <= 0:
            continue
        if currency is None:
            inferred = (
                (sense.unit_currency.get(unit) if unit else None)
                or (sense.digit_script_currency.get(script) if script else None)
                or (sense.language_currency.get(language) if language else None)
                or (sense.country_currency.get(country) if country else None)
            )
            currency = inferred
        amounts.append(Amount(
            value=value,
            currency=currency,
            period=_period(sense, text, start, end),
            start=start,
            end=end,
            explicit_currency=explicit,
            range_top=range_top,
            fee=fees[i],
        ))
    return amounts


def _is_fee(sense: SalarySense, before: str) -> bool:
    """A fee word right before the amount, and no pay word after it ("gaji ... biaya" is pay)."""
    fee = [m.end() for m in sense.fee_before_re.finditer(before)]
    pay = [m.end() for m in sense.salary_before_re.finditer(before)]
    return bool(fee) and (not pay or fee[-1] > pay[-1])


_CLAUSE_END = re.compile(r"[,，;；。！!、\n]")


def _period(sense: SalarySense, text: str, start: int, end: int) -> str:
    """Pay period from the words right after (same clause) or before the amount; month else."""
    after = _CLAUSE_END.split(text[end:end + 16], maxsplit=1)[0]
    m = sense.period_after_re.search(after)
    if m and m.start() <= 6:
        return sense.period_words[m.group(0)]
    before = text[max(0, start - 16):start]
    m = sense.period_before_re.search(before)
    if m:
        word = sense.period_after_re.search(m.group(0))
        if word:
            return sense.period_words[word.group(0)]
    return "month"
