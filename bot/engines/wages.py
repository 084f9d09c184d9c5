"""Wage sense for the job-offer check: offered pay against typical pay (``salaries.yml``).

Pay far above typical for a low-skill or vague job is bait; pay within ``fair_pay_ratio`` of
typical for a job the ad names is evidence of an ordinary employer. The currency of an amount
is read as the ad's readers would ("元" in Taiwan is the Taiwan dollar), and pay is compared with
the most generous table that applies (destination, the currency's country, wage peers), so a
legal wage is not read as bait.
"""

from __future__ import annotations

from bot.engines.amounts import Amount, digit_script, extract_amounts, stated_hours_per_day
from bot.engines.salaries import SalarySense, salary_sense


def job_type(match_text: str, vague: bool) -> str | None:
    """Job type of the salary tables the ad names (a skilled one first); a vague role: office."""
    sense = salary_sense()
    if vague:
        return "entry_office"
    matches = sense.job_patterns.first_matches(match_text)
    found = [job for job in sense.typical["default"] if job in matches]
    for job in found:
        if job in sense.skilled_job_types:
            return job
    return found[0] if found else None


def typical_usd(sense: SalarySense, where: str, job: str | None) -> float:
    """Typical monthly pay in USD for ``job`` in country ``where`` (the default table if none)."""
    table = sense.typical.get(where) or sense.typical["default"]
    currency = sense.typical_currency.get(where, "USD") if where in sense.typical else "USD"
    return sense.to_usd(table[job or "entry_office"], currency) or 0.0


def pay_currency(
    sense: SalarySense, norm: str, amount: Amount, where: tuple[str | None, str | None]
) -> str | None:
    """The amount's currency; "元" for a job in Taiwan, Hong Kong or Macau is the local dollar.

    With no place named, only a written "元" in an ad from there (its home, e.g. traditional
    characters) is; a bare "3萬" stays renminbi (recruiters for compounds write that too).
    """
    country, home = where
    if country:
        local = sense.local_yuan.get(country)
    else:
        local = sense.local_yuan.get(home or "") if amount.explicit_currency else None
    if amount.currency != "CNY" or local is None:
        return amount.currency
    near = norm[max(0, amount.start - 8) : amount.end + 8]
    if sense.renminbi_re is not None and sense.renminbi_re.search(near):
        return amount.currency
    return local


def pay_spans(
    norm: str,
    raw: str,
    language: str,
    where: tuple[str | None, str | None],
    job: str | None,
    named: bool,
) -> tuple[tuple[int, int] | None, tuple[int, int] | None]:
    """Spans of pay far above typical for a low-skill/vague job, and of a fair wage, if any.

    ``where`` is (destination country, the writer's home country). The lower end of a range is
    what is promised. Pay is compared with the most generous of the destination's table, the
    table of the country whose currency it is paid in (baht in a Burmese border town is a Thai
    wage) and, for dollars, the destination's ``wage_peers``, so a legal wage is not read as
    bait; under ``min_bait_usd`` a month nothing is. A wage within
    ``fair_pay_ratio`` of typical for a job the ad names (not a vague office role) is evidence of
    an ordinary employer, like a licence: it lowers a score, never clears a hard flag.
    """
    sense = salary_sense()
    country = where[0]
    skilled = job is not None and job in sense.skilled_job_types
    amounts = extract_amounts(norm, language, country, normalized=True, script=digit_script(raw))
    ratio_needed = sense.high_pay_ratio if job else sense.unknown_job_ratio
    currency_country = {v: k for k, v in sense.country_currency.items() if v != "USD"}
    hours_a_day = stated_hours_per_day(norm)
    best: tuple[float, int, int] | None = None
    fair: tuple[int, int] | None = None
    for amount in amounts:
        currency = pay_currency(sense, norm, amount, where)
        usd = sense.to_usd(amount.monthly_value, currency)
        if usd is not None and amount.period == "hour" and hours_a_day:
            usd *= hours_a_day / 8  # a part-time hourly rate: the month actually paid
        if amount.range_top or amount.fee or usd is None or not 50 <= usd <= 50_000:
            continue
        paid_in = currency_country.get(currency or "")
        peers = sense.wage_peers.get(country or "", ()) if currency == "USD" else ()
        tables = {country or paid_in or "default", paid_in, *peers}
        typical = max(typical_usd(sense, t, job) for t in tables if t is not None)
        if not typical:
            continue
        ratio = usd / typical
        bait = usd >= sense.min_bait_usd  # a few hundred dollars above a low wage is no lure
        if bait and not skilled and ratio >= ratio_needed and (best is None or ratio > best[0]):
            best = (ratio, amount.start, amount.end)
        elif named and job and 0.4 <= ratio <= sense.fair_pay_ratio and fair is None:
            fair = (amount.start, amount.end)
    if best:
        return (best[1], best[2]), None
    return None, fair
