"""Job-offer check: red flags of recruitment into scam compounds, in ten languages.

Public API::

    check_offer(text, language=None) -> OfferCheck     # risk high/medium/low, score 0..1, flags
    explanation(flag_id, language) -> str               # one calm line, falls back to English
    looks_like_job_offer(text) -> bool                  # a message that reads like a job ad
    reads_like_pasted_ad(text) -> bool                  # ... and is long enough to be one
    indicator_ids() -> list[str]

How it works: the text is normalised (:func:`bot.text.normalize`) and Latin diacritics are
stripped one-for-one (so offsets stay valid and "luong cao" matches "lương cao"). Every
indicator of ``bot/content/indicators.yml`` is one compiled regex holding the patterns of all ten
languages, because ads mix languages and language detection of short ads is unreliable. Two
indicators are computed: SCAM_HUB from ``places.yml`` and the salary half of HIGH_PAY_LOW_SKILL
from ``salaries.yml`` (offered pay far above typical for the destination and job type).

Scoring is a noisy-OR of the indicator weights (weak signs count more when the job is abroad),
raised by the combinations of the content file (e.g. free trip + tourist visa + vague office job)
and lowered when reassuring facts (licensed agency, work visa, contract before departure) appear
and no strong sign does. One weak sign alone therefore stays "low".

Evidence spans are cut from the ORIGINAL text: the normalised offsets are mapped back through a
per-character alignment; if that alignment cannot be rebuilt (e.g. Zawgyi input) the evidence is
the normalised span and ``FlagHit.mapped`` is False.
"""

from __future__ import annotations

import logging
import re
import string
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot import DEFAULT_LANGUAGE, LANGUAGES
from bot.amounts import (
    SalarySense,
    digit_script,
    extract_amounts,
    salary_sense,
    stated_hours_per_day,
)
from bot.content import ContentCache, ContentError, load_content_file, require
from bot.patterns import MAX_INPUT_CHARS, PatternSet, checked_item, fold, fold_offsets
from bot.places import PlaceHit, find_places_normalized
from bot.segment import segment
from bot.text import normalize

log = logging.getLogger(__name__)

INDICATORS_FILE = "indicators.yml"
#: Longer inputs are cut: the start of an ad carries its flags, and this bounds the time per call.
MAX_CHARS = MAX_INPUT_CHARS
#: Extra languages whose patterns/explanations are accepted (Swahili is welcome, not required).
EXTRA_LANGUAGES: tuple[str, ...] = ("sw",)
_STRENGTHS = ("weak", "strong")
_COMPUTED = ("salary", "places")
_ABROAD = "@abroad"
_JOB_AD = "@job_ad"
_MITIGATION = "@mitigation"
_PROCESS = "@process"
_FAIR_PAY = "@fair_pay"
#: At most this many kinds of reassurance (licence, due process, a fair wage for a named job)
#: multiply the score down.
MAX_REASSURANCES = 2


# --- data model ------------------------------------------------------------------------------


@dataclass(frozen=True)
class FlagHit:
    """One red flag: its id and the evidence span (from the original text when ``mapped``)."""

    id: str
    evidence: str
    start: int
    end: int
    mapped: bool = True


@dataclass
class OfferCheck:
    language: str
    risk: str
    score: float
    flags: list[FlagHit] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "language": self.language,
            "risk": self.risk,
            "score": round(self.score, 3),
            "flags": [{"id": f.id, "evidence": f.evidence} for f in self.flags],
        }


@dataclass(frozen=True)
class Indicator:
    id: str
    weight: float
    strength: str
    computed: str | None
    sources: tuple[str, ...]
    patterns: tuple[Any, ...]
    explanations: dict[str, str]
    #: A fact ordinary jobs share (a hub town, high pay): reassurances may lower it.
    context: bool = False


@dataclass(frozen=True)
class Combination:
    id: str
    all: frozenset[str]
    min_score: float


@dataclass(frozen=True)
class Rules:
    indicators: dict[str, Indicator]
    combinations: tuple[Combination, ...]
    high: float
    medium: float
    abroad_factor: float
    mitigation_factor: float
    home_countries: dict[str, str]
    #: One matcher for every pattern; keys are indicator ids and the context keys below.
    matcher: PatternSet


# --- loading ---------------------------------------------------------------------------------


def _prepared_patterns(file: str, entry: str, field_name: str, by_lang: Any) -> list[Any]:
    """Validated pattern items from ``{lang: [item, ...]}``; errors name ``field.lang[i]``."""
    if by_lang in (None, {}):
        return []
    if not isinstance(by_lang, dict):
        raise ContentError(file, entry, field_name, "must be a mapping of language to regex list")
    out: list[Any] = []
    for lang, patterns in by_lang.items():
        where = f"{field_name}.{lang}"
        if lang not in LANGUAGES and lang not in EXTRA_LANGUAGES:
            raise ContentError(file, entry, where, f"unknown language {lang!r}")
        if not isinstance(patterns, list) or not patterns:
            raise ContentError(file, entry, where, "must be a non-empty list of patterns")
        out.extend(checked_item(file, entry, f"{where}[{i}]", p) for i, p in enumerate(patterns))
    return out


def _placeholders(text: str) -> set[str]:
    try:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
    except ValueError:
        return {"<malformed>"}


def load_rules(directory: Path | None = None) -> Rules:
    """Load and validate indicators.yml; raise :class:`ContentError` naming file/entry/field."""
    f = INDICATORS_FILE
    data = load_content_file(f, directory)
    if not isinstance(data, dict):
        raise ContentError(f, None, None, "must be a mapping")
    thresholds = require(f, None, data, "risk_thresholds", dict)
    high = float(require(f, "risk_thresholds", thresholds, "high", (int, float)))
    medium = float(require(f, "risk_thresholds", thresholds, "medium", (int, float)))
    if not 0 < medium < high <= 1:
        raise ContentError(f, "risk_thresholds", None, "need 0 < medium < high <= 1")
    abroad_factor = float(data.get("abroad_factor", 1.0))
    mitigation_factor = float(data.get("mitigation_factor", 1.0))
    home = data.get("home_countries") or {}
    if not isinstance(home, dict):
        raise ContentError(f, None, "home_countries", "must be a mapping")

    indicators: dict[str, Indicator] = {}
    raw_list = require(f, None, data, "indicators", list)
    for i, raw in enumerate(raw_list):
        entry = str(raw.get("id", f"#{i}")) if isinstance(raw, dict) else f"#{i}"
        iid = require(f, entry, raw, "id", str)
        if iid in indicators:
            raise ContentError(f, entry, "id", "duplicate id")
        weight = float(require(f, entry, raw, "weight", (int, float)))
        if not 0 <= weight < 1:
            raise ContentError(f, entry, "weight", "must be between 0 and 1 (exclusive)")
        strength = require(f, entry, raw, "strength", str)
        if strength not in _STRENGTHS:
            raise ContentError(f, entry, "strength", f"must be one of {', '.join(_STRENGTHS)}")
        computed = raw.get("computed")
        if computed is not None and computed not in _COMPUTED:
            raise ContentError(f, entry, "computed", f"must be one of {', '.join(_COMPUTED)}")
        sources = require(f, entry, raw, "sources", list)
        if not sources or not all(isinstance(s, str) and s for s in sources):
            raise ContentError(f, entry, "sources", "must be a non-empty list of strings")
        patterns = _prepared_patterns(f, entry, "patterns", raw.get("patterns"))
        if not patterns and computed is None:
            raise ContentError(f, entry, "patterns", "is missing (the indicator is not computed)")
        expl = require(f, entry, raw, "explanation", dict)
        explanations: dict[str, str] = {}
        for lang in LANGUAGES:
            text = expl.get(lang)
            if not isinstance(text, str) or not text.strip():
                raise ContentError(f, entry, f"explanation.{lang}", "is missing or empty")
            explanations[lang] = text.strip()
        for lang, text in expl.items():
            if lang not in LANGUAGES:
                if lang not in EXTRA_LANGUAGES or not isinstance(text, str):
                    raise ContentError(f, entry, f"explanation.{lang}", "unknown language")
                explanations[lang] = text.strip()
        wanted = _placeholders(explanations["en"])
        for lang, text in explanations.items():
            if _placeholders(text) != wanted:
                raise ContentError(
                    f, entry, f"explanation.{lang}", "placeholders differ from the English text"
                )
        context_flag = raw.get("context", False)
        if not isinstance(context_flag, bool):
            raise ContentError(f, entry, "context", "must be true or false")
        indicators[iid] = Indicator(
            iid, weight, strength, computed, tuple(sources), tuple(patterns), explanations,
            context_flag,
        )

    combos: list[Combination] = []
    for i, raw in enumerate(data.get("combinations") or []):
        entry = f"combinations[{i}]"
        cid = require(f, entry, raw, "id", str)
        members = require(f, cid, raw, "all", list)
        for member in members:
            if member != _ABROAD and member not in indicators:
                raise ContentError(f, f"combinations.{cid}", "all", f"unknown indicator {member!r}")
        min_score = float(require(f, cid, raw, "min_score", (int, float)))
        if not 0 < min_score < 1:
            raise ContentError(f, f"combinations.{cid}", "min_score", "must be between 0 and 1")
        combos.append(Combination(cid, frozenset(members), min_score))

    context = data.get("context") or {}
    if not isinstance(context, dict):
        raise ContentError(f, None, "context", "must be a mapping")
    items = [(iid, p) for iid, ind in indicators.items() for p in ind.patterns]
    for key, name in ((_ABROAD, "abroad"), (_JOB_AD, "job_ad")):
        items += [(key, p) for p in _prepared_patterns(f, "context", name, context.get(name))]
    items += [
        (_MITIGATION, p)
        for p in _prepared_patterns(f, "mitigations", "patterns", data.get("mitigations"))
    ]
    items += [
        (_PROCESS, p)
        for p in _prepared_patterns(f, "context", "due_process", context.get("due_process"))
    ]
    return Rules(
        indicators=indicators,
        combinations=tuple(combos),
        high=high,
        medium=medium,
        abroad_factor=abroad_factor,
        mitigation_factor=mitigation_factor,
        home_countries={str(k): str(v) for k, v in home.items()},
        matcher=PatternSet(items),
    )


_cache: ContentCache[Rules] = ContentCache(load_rules, (INDICATORS_FILE,))


def rules() -> Rules:
    """Current indicator rules (the last good version when a reload failed)."""
    return _cache.get()


def reset_caches() -> None:
    """Forget all cached content (tests, or after ``bot.content.CONTENT_DIR`` changed)."""
    from bot import amounts, places

    _cache.reset()
    amounts._cache.reset()
    places._cache.reset()


# --- offsets: normalised text back to the original ----------------------------------------------

_piece_cache: dict[str, str] = {}
_TOKEN_RE = re.compile(r"\S+")


def _piece(chunk: str) -> str:
    """``normalize`` of one token or cluster, cached (words repeat a lot across messages)."""
    piece = _piece_cache.get(chunk)
    if piece is None:
        piece = normalize(chunk)
        if len(_piece_cache) < 50_000:
            _piece_cache[chunk] = piece
    return piece


def _cluster_offsets(token: str) -> tuple[str, list[int]]:
    """Normalise ``token`` cluster by cluster (base + combining marks); offsets per output char."""
    out: list[str] = []
    origin: list[int] = []
    i, n = 0, len(token)
    while i < n:
        j = i + 1
        while j < n and unicodedata.category(token[j])[0] == "M":
            j += 1
        piece = _piece(token[i:j])
        out.append(piece)
        origin.extend([i] * len(piece))
        i = j
    return "".join(out), origin


def _alignment(original: str, normalized: str) -> list[int] | None:
    """For each position of ``normalized``, the index of the original character it came from.

    Rebuilds the normalisation token by token (whitespace-separated, as ``normalize`` collapses
    whitespace); returns None when the result differs from ``normalized`` (e.g. Zawgyi input).
    """
    parts: list[str] = []
    origin: list[int] = []
    for m in _TOKEN_RE.finditer(original):
        token, base = m.group(), m.start()
        piece = _piece(token)
        if not piece:
            continue
        if parts:
            origin.append(base - 1)  # the collapsed space
        if len(piece) == len(token):
            origin.extend(range(base, base + len(token)))
        else:
            rebuilt, offsets = _cluster_offsets(token)
            if rebuilt != piece:
                return None
            origin.extend(base + k for k in offsets)
        parts.append(piece)
    if " ".join(parts) != normalized:
        return None
    origin.append(len(original))
    return origin


class _Mapper:
    """Lazily built map from normalised offsets to original offsets."""

    def __init__(self, original: str, normalized: str) -> None:
        self.original, self.normalized = original, normalized
        self._origin: list[int] | None = None
        self._tried = False

    def hit(self, flag_id: str, start: int, end: int) -> FlagHit:
        if not self._tried:
            self._tried = True
            self._origin = _alignment(self.original, self.normalized)
        origin = self._origin
        if origin is not None and end > start:
            o_start = origin[start]
            last = origin[end - 1]
            o_end = last + 1
            # extend to the end of the original cluster (combining marks) of the last character
            original = self.original
            while o_end < len(original) and unicodedata.category(original[o_end])[0] == "M":
                o_end += 1
            return FlagHit(flag_id, self.original[o_start:o_end], o_start, o_end, True)
        return FlagHit(flag_id, self.normalized[start:end], start, end, False)


# --- the check ---------------------------------------------------------------------------------


def _language(text: str, language: str | None) -> str:
    if language in LANGUAGES:
        return language  # type: ignore[return-value]
    try:
        from bot.language import detect_language

        return detect_language(text, hint=language).code
    except Exception:  # language detection must never break the check
        log.debug("language detection failed", exc_info=True)
        return DEFAULT_LANGUAGE


def _destination(places: list[PlaceHit], home: str | None) -> str | None:
    """Destination country: a scam hub's country, else the first place outside the home country."""
    for hit in places:
        if hit.is_scam_hub:
            return hit.country
    for hit in places:
        if hit.country != home:
            return hit.country
    return places[0].country if places else None


def _job_type(match_text: str, vague: bool) -> str | None:
    sense = salary_sense()
    if vague:
        return "entry_office"
    matches = sense.job_patterns.first_matches(match_text)
    found = [job for job in sense.typical["default"] if job in matches]
    for job in found:
        if job in sense.skilled_job_types:
            return job
    return found[0] if found else None


def _typical_usd(sense: SalarySense, where: str, job: str | None) -> float:
    """Typical monthly pay in USD for ``job`` in country ``where`` (the default table if none)."""
    table = sense.typical.get(where) or sense.typical["default"]
    currency = sense.typical_currency.get(where, "USD") if where in sense.typical else "USD"
    return sense.to_usd(table[job or "entry_office"], currency) or 0.0


def _pay_spans(
    norm: str, raw: str, language: str, country: str | None, job: str | None, named: bool
) -> tuple[tuple[int, int] | None, tuple[int, int] | None]:
    """Spans of pay far above typical for a low-skill/vague job, and of a fair wage, if any.

    The lower end of a range is what is promised. Pay is compared with the more generous of the
    destination's table and the table of the country whose currency it is paid in (baht in a
    Burmese border town is a Thai wage), so a legal wage is not read as bait. A wage within
    ``fair_pay_ratio`` of typical for a job the ad names (not a vague office role) is evidence of
    an ordinary employer, like a licence: it lowers a score, never clears a hard flag.
    """
    sense = salary_sense()
    skilled = job is not None and job in sense.skilled_job_types
    amounts = extract_amounts(norm, language, country, normalized=True, script=digit_script(raw))
    ratio_needed = sense.high_pay_ratio if job else sense.unknown_job_ratio
    currency_country = {v: k for k, v in sense.country_currency.items() if v != "USD"}
    hours_a_day = stated_hours_per_day(norm)
    best: tuple[float, int, int] | None = None
    fair: tuple[int, int] | None = None
    for amount in amounts:
        usd = sense.to_usd(amount.monthly_value, amount.currency)
        if usd is not None and amount.period == "hour" and hours_a_day:
            usd *= hours_a_day / 8  # a part-time hourly rate: the month actually paid
        if amount.range_top or usd is None or not 50 <= usd <= 50_000:  # not a plausible wage
            continue
        paid_in = currency_country.get(amount.currency or "")
        typical_usd = max(
            _typical_usd(sense, where, job) for where in {country or paid_in or "default", paid_in}
            if where is not None
        )
        if not typical_usd:
            continue
        ratio = usd / typical_usd
        if not skilled and ratio >= ratio_needed and (best is None or ratio > best[0]):
            best = (ratio, amount.start, amount.end)
        elif named and job and 0.4 <= ratio <= sense.fair_pay_ratio and fair is None:
            fair = (amount.start, amount.end)
    if best:
        return (best[1], best[2]), None
    return None, fair


def _matches(r: Rules, norm: str) -> tuple[str, dict[str, tuple[int, int]]]:
    """The folded text and the first span of every key found, in ``norm``'s offsets."""
    match_text = fold(norm)
    found = r.matcher.first_matches(match_text)
    if found and len(match_text) != len(norm):  # fold dropped apostrophes or marks
        offsets = fold_offsets(norm)
        found = {k: (offsets[s], offsets[e - 1] + 1) for k, (s, e) in found.items()}
    return match_text, found


def _score(
    r: Rules,
    spans: dict[str, tuple[int, int]],
    found: dict[str, tuple[int, int]],
    hub_weight: float,
    abroad: bool,
) -> float:
    """Noisy-OR of the weights, raised by combinations, lowered by reassurances.

    Reassurances (a licence or statutory terms; an employer's due process such as a written
    test or an interview at the office; a fair wage for a job the ad names) each multiply the
    score by ``mitigation_factor`` (at most :data:`MAX_REASSURANCES` kinds), but
    only when no strong sign of how the person is moved or held (tourist visa, passport kept,
    crossing...) is present: a licence number lowers the risk, it never clears such an offer.
    Context flags (a hub town, high pay read from the salary table) do not block them.
    """
    score, blocking = 1.0, False
    for iid in spans:
        ind = r.indicators[iid]
        weight = hub_weight if iid == "SCAM_HUB" else ind.weight
        if ind.strength == "weak" and abroad:
            weight = min(0.95, weight * r.abroad_factor)
        context = ind.context and not (ind.computed == "salary" and iid in found)
        if ind.strength == "strong" and weight >= 0.3 and not context:
            blocking = True
        score *= 1.0 - weight
    score = 1.0 - score
    present = set(spans) | ({_ABROAD} if abroad else set())
    for combo in r.combinations:
        if combo.all <= present:
            score = max(score, combo.min_score)
    kinds = (_MITIGATION, _PROCESS, _FAIR_PAY)
    reassurances = min(MAX_REASSURANCES, sum(1 for key in kinds if key in found))
    if spans and not blocking and reassurances:
        score *= r.mitigation_factor**reassurances
    return min(1.0, max(0.0, score))


def check_offer(
    text: str, language: str | None = None, with_rules: Rules | None = None
) -> OfferCheck:
    """Check one job offer; never raises on odd input (empty, emoji, binary, huge).

    ``with_rules`` checks against other rules than the published ones (the admin page's
    "try a pattern" on a draft).
    """
    if not isinstance(text, str):
        text = str(text or "")
    text = text[:MAX_CHARS]
    lang = (
        _language(text, language)
        if text.strip()
        else (language if language in LANGUAGES else DEFAULT_LANGUAGE)
    )
    norm = normalize(text)
    if not norm:
        return OfferCheck(lang or DEFAULT_LANGUAGE, "low", 0.0, [])
    r = with_rules or rules()
    match_text, found = _matches(r, norm)
    mapper = _Mapper(text, norm)
    spans = {k: v for k, v in found.items() if k in r.indicators}

    places = find_places_normalized(norm)
    home = r.home_countries.get(lang)
    hub_weight = 0.0
    if "SCAM_HUB" in r.indicators:
        hubs = [p for p in places if p.is_scam_hub]
        if hubs:
            top = max(hubs, key=lambda p: p.offer_weight)
            hub_weight = top.offer_weight
            spans["SCAM_HUB"] = (top.start, top.end)
    abroad = _ABROAD in found or any(p.country != home for p in places)
    if "VAGUE_PAY_PROMISE" in spans and extract_amounts(norm, lang, None, normalized=True):
        del spans["VAGUE_PAY_PROMISE"]  # "good salary, $400": the figure is judged instead
    if "HIGH_PAY_LOW_SKILL" in r.indicators:
        vague = "VAGUE_OFFICE_ROLE" in spans
        job = _job_type(match_text, vague)
        span, fair = _pay_spans(norm, text, lang, _destination(places, home), job, not vague)
        if span is not None:
            spans["HIGH_PAY_LOW_SKILL"] = span  # the amount is the clearest evidence
        if fair is not None:
            found[_FAIR_PAY] = fair

    score = _score(r, spans, found, hub_weight, abroad)
    risk = "high" if score >= r.high else "medium" if score >= r.medium else "low"
    order = list(r.indicators)
    flags = [mapper.hit(iid, *spans[iid]) for iid in sorted(spans, key=order.index)]
    return OfferCheck(lang, risk, score, flags)


def explanation(flag_id: str, language: str) -> str:
    """One-line reason why ``flag_id`` is a red flag, in ``language`` (English fallback)."""
    ind = rules().indicators.get(flag_id)
    if ind is None:
        return ""
    return ind.explanations.get(language) or ind.explanations[DEFAULT_LANGUAGE]


def indicator_ids() -> list[str]:
    """Ids of all indicators, in content-file order."""
    return list(rules().indicators)


#: A question about an offer ("is a job with a tourist visa ok?") is short; a pasted ad is not.
MIN_PASTED_AD_WORDS = 12


def reads_like_pasted_ad(text: str) -> bool:
    """A whole job ad pasted into the chat (not a question about one): long, and ad-like."""
    return len(segment(text or "")) >= MIN_PASTED_AD_WORDS and looks_like_job_offer(text)


def looks_like_job_offer(text: str) -> bool:
    """True for a longer message that reads like a job ad (any language).

    Needs some length and at least two of: job-ad words, a salary amount, a chat-app or contact
    detail, a red-flag pattern. Lets the bot check offers pasted without choosing the menu.
    """
    try:
        if not isinstance(text, str):
            return False
        norm = normalize(text[:MAX_CHARS])
        if len(norm) < 30:
            return False
        r = rules()
        _, found = _matches(r, norm)
        points = 0
        if _JOB_AD in found:
            points += 1
        if any(a.currency for a in extract_amounts(norm, None, None, normalized=True)):
            points += 1
        if re.search(r"\+?\d[\d\s-]{7,}\d|@\w{3,}|https?://", norm):
            points += 1
        points += min(sum(1 for key in found if key in r.indicators), 2)
        return points >= 2
    except ContentError:
        raise
    except Exception:
        log.debug("looks_like_job_offer failed", exc_info=True)
        return False
