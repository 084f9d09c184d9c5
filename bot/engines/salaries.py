"""The salary sense of job ads: ``content/salaries.yml`` validated and compiled.

Currency names, multipliers, period and salary words, exchange rates and the typical wages per
country and job type, loaded once through a :class:`~bot.content.ContentCache` (the last good
version stays in use when an edit is broken). :mod:`bot.engines.amounts` reads amounts with it;
:mod:`bot.engines.redflags` compares them with the tables. Errors name file, entry and field.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.content import ContentCache, ContentError, load_content_file, require
from bot.engines.literals import prepare_literal, trie_regex
from bot.engines.patterns import PatternSet, checked_item

SALARIES_FILE = "salaries.yml"

#: Rough number of units of each period in a month, to compare offers on a monthly basis.
PERIOD_PER_MONTH: dict[str, float] = {
    "hour": 208.0,
    "day": 26.0,
    "week": 4.33,
    "month": 1.0,
    "year": 1 / 12,
}


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
    #: Countries where "元"/"块"/"yuan" is the local dollar (TW: TWD...), and the words that
    #: name renminbi explicitly there.
    local_yuan: dict[str, str] = field(default_factory=dict)
    #: Monthly pay (USD) below which no offer is read as too good to be true.
    min_bait_usd: float = 0.0
    #: Countries whose wage table also counts for a job in a country (border economies).
    wage_peers: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: Job types that name a workplace (a factory, a site): an office role there is its job.
    workplace_job_types: frozenset[str] = frozenset()
    renminbi_re: re.Pattern[str] | None = None

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


def _word_table(
    file: str, entry: str, words: dict[str, Any], field: str,
    allowed: Any = None, says: str = "",
) -> dict[str, Any]:
    """``field: {key: [word, ...]}`` as {prepared word: key}; a key not in ``allowed`` is an error
    (``says`` why). One reader for the multipliers, currencies, periods and number words."""
    table: dict[str, Any] = {}
    for key, names in require(file, entry, words, field, dict).items():
        if allowed is not None and key not in allowed:
            raise ContentError(file, f"{entry}.{field}", str(key), says)
        for name in _words(file, f"{entry}.{field}", {str(key): names}, str(key)):
            table[prepare_literal(name).casefold()] = key
    return table


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


def _workplaces(f: str, data: dict[str, Any], job_types: dict[str, Any]) -> frozenset[str]:
    """``workplace_job_types`` validated against ``job_types``."""
    names = data.get("workplace_job_types") or []
    if not isinstance(names, list) or not all(n in job_types for n in names):
        raise ContentError(f, None, "workplace_job_types", "must list names of job_types")
    return frozenset(str(n) for n in names)


def _wage_peers(
    f: str, data: dict[str, Any], typical: dict[str, dict[str, float]]
) -> dict[str, tuple[str, ...]]:
    """``wage_peers`` validated: every peer has a wage table."""
    raw = data.get("wage_peers") or {}
    if not isinstance(raw, dict):
        raise ContentError(f, None, "wage_peers", "must be a mapping {country: [country, ...]}")
    peers = {str(k): tuple(str(c) for c in v or []) for k, v in raw.items()}
    for key, codes in peers.items():
        if not all(c in typical for c in codes):
            raise ContentError(f, "wage_peers", key, "names a country without a typical table")
    return peers


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
    multipliers = {w: float(k) for w, k in _word_table(f, e, words, "multipliers").items()}
    currency_words = {w: str(k) for w, k in
                      _word_table(f, e, words, "currencies", fx, "has no fx_per_usd rate").items()}
    unit_currency = {prepare_literal(str(k)).casefold(): str(v)
                     for k, v in require(f, e, words, "unit_currency", dict).items()}
    needing = frozenset(prepare_literal(w).casefold()
                        for w in _words(f, e, words, "units_needing_pay_word"))
    if not needing <= set(multipliers):
        raise ContentError(f, e, "units_needing_pay_word", "names a word that is not a multiplier")
    period_words = {w: str(k) for w, k in
                    _word_table(f, e, words, "periods", PERIOD_PER_MONTH, "unknown period").items()}
    salary_words = _words(f, e, words, "salary_words")
    fee_words = _words(f, e, words, "fee_words")
    number_words = {w: int(k) for w, k in _word_table(f, e, words, "number_words").items()}

    mult_alt = _alternation(list(multipliers))
    cur_alt = _alternation(list(currency_words))
    num = r"\d{1,3}(?:[.,]\d{3})+(?:[.,]\d{1,2}(?!\d))?|\d+(?:[.,]\d{1,2}(?!\d))?"
    cjk_digit = "零〇一二两兩三四五六七八九"
    cjk_unit = "十拾百佰千仟万萬亿億"
    cjk = f"[{cjk_digit}{cjk_unit}]*[{cjk_unit}][{cjk_digit}]?"
    numword = _alternation(list(number_words))
    # Multipliers written before the number ("သိန်း ၂၀" = 20 x 100,000 kyat).
    prefixed = [prepare_literal(w).casefold() for w in words.get("prefix_multipliers") or []]
    if not set(prefixed) <= set(multipliers):
        raise ContentError(f, e, "prefix_multipliers", "names a word that is not a multiplier")
    prefix_alt = (
        rf"|(?P<pmult>{_alternation(prefixed)})\s?(?P<pnum>\d+(?:[.,]\d{{1,2}}(?!\d))?)(?![\d.,])"
        if prefixed else ""
    )
    number_re = re.compile(
        rf"(?<![\d.,])(?P<num>{num})\s?(?P<mult>{mult_alt})?"
        rf"(?:\s?(?P<num2>\d+)\s?(?P<mult2>{mult_alt}))?"
        rf"|(?P<cjk>{cjk})"
        rf"|(?<![a-z])(?P<word>{numword})\s(?P<wmult>{mult_alt})"
        + prefix_alt,
    )
    local_yuan = {str(k): str(v) for k, v in (data.get("local_yuan") or {}).items()}
    for key, code in local_yuan.items():
        if code not in fx:
            raise ContentError(f, "local_yuan", key, f"currency {code!r} has no fx_per_usd rate")
    renminbi = [prepare_literal(w).casefold() for w in data.get("renminbi_words") or []]
    return SalarySense(
        local_yuan=local_yuan,
        min_bait_usd=float(data.get("min_bait_usd", 0.0)),
        workplace_job_types=_workplaces(f, data, job_types),
        wage_peers=_wage_peers(f, data, typical),
        renminbi_re=re.compile(_alternation(renminbi)) if renminbi else None,
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
