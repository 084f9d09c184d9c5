"""Money amounts in job ads: "35,000", "35k", "1.5 triệu", "15 juta", "2万", "一万五", "၃၅,၀၀၀",
"RM 1,700", "$1,200", "1.200 USD/tháng", "१ लाख ५० हजार".

:func:`extract_amounts` returns every salary-like amount with its value, currency (explicit, or
inferred from a unit word, the digit script, the message language or the destination country) and
pay period (month by default). A bare number counts only when it carries a currency, a multiplier
or follows a salary word, so "8 hours" or "2 years" are not salaries.

The vocabulary (currency names, multipliers, period words) and the salary tables live in
``content/salaries.yml``; they are loaded once through a :class:`~bot.content.ContentCache`.
Offsets (``start``/``end``) index the *normalised* text (:func:`bot.engines.text.normalize`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.content import ContentCache, ContentError, load_content_file, require
from bot.engines.patterns import PatternSet, checked_item, prepare_literal, trie_regex
from bot.engines.text import normalize

SALARIES_FILE = "salaries.yml"

#: Rough number of units of each period in a month, to compare offers on a monthly basis.
PERIOD_PER_MONTH: dict[str, float] = {
    "hour": 208.0,
    "day": 26.0,
    "week": 4.33,
    "month": 1.0,
    "year": 1 / 12,
}

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


@dataclass(frozen=True)
class SalarySense:
    """Validated content of salaries.yml plus the compiled amount regexes."""

    high_pay_ratio: float
    unknown_job_ratio: float
    fair_pay_ratio: float
    fx_per_usd: dict[str, float]
    country_currency: dict[str, str]
    language_currency: dict[str, str]
    digit_script_currency: dict[str, str]
    skilled_job_types: frozenset[str]
    typical: dict[str, dict[str, float]]
    typical_currency: dict[str, str]
    job_patterns: PatternSet
    number_re: re.Pattern[str]
    number_words: dict[str, int]
    multipliers: dict[str, float]
    currency_words: dict[str, str]
    unit_currency: dict[str, str]
    #: Unit words that are also ordinary words elsewhere (romanised Thai/Lao "5 wan" = 5 days):
    #: money only after a salary word or with a currency.
    units_needing_pay_word: frozenset[str]
    currency_before_re: re.Pattern[str]
    currency_after_re: re.Pattern[str]
    period_after_re: re.Pattern[str]
    period_before_re: re.Pattern[str]
    period_words: dict[str, str]
    salary_before_re: re.Pattern[str]
    fee_before_re: re.Pattern[str]
    range_re: re.Pattern[str]

    def to_usd(self, value: float, currency: str | None) -> float | None:
        rate = self.fx_per_usd.get(currency or "")
        return value / rate if rate else None


def _alternation(words: list[str]) -> str:
    """Regex matching any of the literal ``words``; words starting with a Latin letter match only
    as whole words. Built as tries (see :func:`trie_regex`) so that long word lists stay fast."""
    prepared = {prepare_literal(w).casefold() for w in words if w}
    latin = [w for w in prepared if w[:1].isascii() and w[:1].isalpha()]
    other = [w for w in prepared if w not in latin]
    parts = []
    if latin:
        # Not next to any letter: "56 Trần Duy Hưng" is an address, not 56 triệu ("tr").
        parts.append(rf"(?<![^\W\d_])(?:{trie_regex(latin)})(?![^\W\d_])")
    if other:
        parts.append(f"(?:{trie_regex(other)})")
    return "|".join(parts) if parts else "(?!)"


def _words(file: str, entry: str, data: dict[str, Any], field: str) -> list[str]:
    value = require(file, entry, data, field, list)
    if not value or not all(isinstance(w, str) and w for w in value):
        raise ContentError(file, entry, field, "must be a non-empty list of non-empty strings")
    return value


def _typical_tables(
    f: str, rows: dict[str, Any], jobs: list[str], fx: dict[str, float]
) -> tuple[dict[str, dict[str, float]], dict[str, str]]:
    """Typical monthly pay per country and job, and each country's currency.

    The ``default`` row must name every job type; a country row may leave out a job whose pay is
    set by an international standard rather than by the country (ship crews: ILO MLC), which
    then takes the default row's USD figure in the country's currency.
    """
    if not isinstance(rows.get("default"), dict):
        raise ContentError(f, "typical", "default", "is missing (the table for unknown places)")
    typical: dict[str, dict[str, float]] = {}
    currencies: dict[str, str] = {}
    for country in ["default", *(c for c in rows if c != "default")]:
        row, entry = rows[country], f"typical.{country}"
        currency = require(f, entry, row, "currency", str)
        if currency not in fx:
            raise ContentError(f, entry, "currency", f"{currency!r} has no fx_per_usd rate")
        currencies[str(country)] = currency
        typical[str(country)] = {}
        for job in jobs:
            if country != "default" and job not in row:
                usd = typical["default"][job] / fx[currencies["default"]]
                typical[str(country)][job] = usd * fx[currency]
                continue
            typical[str(country)][job] = float(require(f, entry, row, job, (int, float)))
    return typical, currencies


def load_salary_sense(directory: Path | None = None) -> SalarySense:
    """Load and validate salaries.yml; raise :class:`ContentError` naming file/entry/field."""
    f = SALARIES_FILE
    data = load_content_file(f, directory)
    if not isinstance(data, dict):
        raise ContentError(f, None, None, "must be a mapping")
    high = float(require(f, None, data, "high_pay_ratio", (int, float)))
    unknown = float(require(f, None, data, "unknown_job_ratio", (int, float)))
    fair = data.get("fair_pay_ratio", 1.5)
    if not isinstance(fair, (int, float)) or not 0 < fair < high:
        raise ContentError(f, None, "fair_pay_ratio", "must be above 0 and below high_pay_ratio")
    fx_raw = require(f, None, data, "fx_per_usd", dict)
    fx: dict[str, float] = {}
    for code, rate in fx_raw.items():
        if not isinstance(rate, (int, float)) or rate <= 0:
            raise ContentError(f, "fx_per_usd", str(code), "must be a positive number")
        fx[str(code)] = float(rate)
    country_currency = {str(k): str(v) for k, v in require(
        f, None, data, "country_currency", dict).items()}
    language_currency = {str(k): str(v) for k, v in require(
        f, None, data, "language_currency", dict).items()}
    digit_currency = {str(k): str(v) for k, v in require(
        f, None, data, "digit_script_currency", dict).items()}
    for table, name in ((country_currency, "country_currency"),
                        (language_currency, "language_currency"),
                        (digit_currency, "digit_script_currency")):
        for key, code in table.items():
            if code not in fx:
                raise ContentError(f, name, key, f"currency {code!r} has no fx_per_usd rate")
    job_types = require(f, None, data, "job_types", dict)
    skilled = frozenset(k for k, v in job_types.items() if isinstance(v, dict) and v.get("skilled"))
    typical, typical_currency = _typical_tables(f, require(f, None, data, "typical", dict),
                                                list(job_types), fx)
    job_items: list[tuple[str, Any]] = []
    for job, patterns in require(f, None, data, "job_patterns", dict).items():
        if job not in job_types:
            raise ContentError(f, f"job_patterns.{job}", None, "is not one of job_types")
        if not isinstance(patterns, list) or not patterns:
            raise ContentError(f, "job_patterns", job, "must be a non-empty list of patterns")
        job_items.extend(
            (job, checked_item(f, "job_patterns", f"{job}[{i}]", p))
            for i, p in enumerate(patterns)
        )
    job_patterns = PatternSet(job_items)

    words = require(f, None, data, "amount_words", dict)
    e = "amount_words"
    multipliers: dict[str, float] = {}
    for factor, names in require(f, e, words, "multipliers", dict).items():
        for name in _words(f, f"{e}.multipliers", {str(factor): names}, str(factor)):
            multipliers[prepare_literal(name).casefold()] = float(factor)
    currency_words: dict[str, str] = {}
    for code, names in require(f, e, words, "currencies", dict).items():
        if code not in fx:
            raise ContentError(f, f"{e}.currencies", str(code), "has no fx_per_usd rate")
        for name in _words(f, f"{e}.currencies", {code: names}, code):
            currency_words[prepare_literal(name).casefold()] = str(code)
    unit_currency = {prepare_literal(str(k)).casefold(): str(v)
                     for k, v in require(f, e, words, "unit_currency", dict).items()}
    needing = frozenset(prepare_literal(w).casefold()
                        for w in _words(f, e, words, "units_needing_pay_word"))
    if not needing <= set(multipliers):
        raise ContentError(f, e, "units_needing_pay_word", "names a word that is not a multiplier")
    period_words: dict[str, str] = {}
    for period, names in require(f, e, words, "periods", dict).items():
        if period not in PERIOD_PER_MONTH:
            raise ContentError(f, f"{e}.periods", str(period), "unknown period")
        for name in _words(f, f"{e}.periods", {period: names}, period):
            period_words[prepare_literal(name).casefold()] = str(period)
    salary_words = _words(f, e, words, "salary_words")
    fee_words = _words(f, e, words, "fee_words")
    number_words: dict[str, int] = {}
    for value, names in require(f, e, words, "number_words", dict).items():
        for name in _words(f, f"{e}.number_words", {str(value): names}, str(value)):
            number_words[prepare_literal(name).casefold()] = int(value)

    mult_alt = _alternation(list(multipliers))
    cur_alt = _alternation(list(currency_words))
    num = r"\d{1,3}(?:[.,]\d{3})+(?:[.,]\d{1,2}(?!\d))?|\d+(?:[.,]\d{1,2}(?!\d))?"
    cjk_digit = "零〇一二两兩三四五六七八九"
    cjk_unit = "十拾百佰千仟万萬亿億"
    cjk = f"[{cjk_digit}{cjk_unit}]*[{cjk_unit}][{cjk_digit}]?"
    numword = _alternation(list(number_words))
    number_re = re.compile(
        rf"(?<![\d.,])(?P<num>{num})\s?(?P<mult>{mult_alt})?"
        rf"(?:\s?(?P<num2>\d+)\s?(?P<mult2>{mult_alt}))?"
        rf"|(?P<cjk>{cjk})"
        rf"|(?<![a-z])(?P<word>{numword})\s(?P<wmult>{mult_alt})",
    )
    return SalarySense(
        high_pay_ratio=high,
        unknown_job_ratio=unknown,
        fair_pay_ratio=float(fair),
        fx_per_usd=fx,
        country_currency=country_currency,
        language_currency=language_currency,
        digit_script_currency=digit_currency,
        skilled_job_types=skilled,
        typical=typical,
        typical_currency=typical_currency,
        job_patterns=job_patterns,
        number_re=number_re,
        number_words=number_words,
        multipliers=multipliers,
        currency_words=currency_words,
        unit_currency=unit_currency,
        units_needing_pay_word=needing,
        currency_before_re=re.compile(rf"(?:{cur_alt})\s?$"),
        currency_after_re=re.compile(rf"^\s?(?:{cur_alt})"),
        period_after_re=re.compile(_alternation(list(period_words))),
        period_before_re=re.compile(rf"(?:{_alternation(list(period_words))})\s?\S{{0,6}}\s?$"),
        period_words=period_words,
        salary_before_re=re.compile(rf"(?:{_alternation(salary_words)})"),
        fee_before_re=re.compile(rf"(?:{_alternation(fee_words)})"),
        range_re=re.compile(r"^\s?(?:-|–|~|to|đến|den|hanggang|sampai|hingga|ถึง|至|到)\s?"),
    )


_cache: ContentCache[SalarySense] = ContentCache(load_salary_sense, (SALARIES_FILE,))


def reset_cache() -> None:
    """Forget the cached content (tests, or after ``bot.content.CONTENT_DIR`` changed)."""
    _cache.reset()


def salary_sense() -> SalarySense:
    """The current salary tables and amount vocabulary (last good version if a reload fails)."""
    return _cache.get()


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
    for ch in raw_text:
        if ch.isdigit() and not ch.isascii():
            cp = ord(ch)
            for name, (lo, hi) in _DIGIT_SCRIPTS.items():
                if lo <= cp <= hi:
                    return name
    return None


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
        else:
            value = float(sense.number_words[m.group("word")]) * sense.multipliers[m.group("wmult")]
            unit = m.group("wmult")
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
