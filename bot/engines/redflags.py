"""Job-offer check: red flags of recruitment into scam compounds, in ten languages.

Public API::

    check_offer(text, language=None) -> OfferCheck     # risk high/medium/low, score 0..1, flags
    explanation(flag_id, language) -> str               # one calm line, falls back to English
    looks_like_job_offer(text) -> bool                  # a message that reads like a job ad
    reads_like_pasted_ad(text) -> bool                  # ... and is long enough to be one
    indicator_ids() -> list[str]

How it works: the text is normalised (:func:`bot.engines.text.normalize`) and Latin diacritics are
stripped one-for-one (so offsets stay valid and "luong cao" matches "lương cao"). Every
indicator of ``content/indicators.yml`` is one compiled regex holding the patterns of all ten
languages, because ads mix languages and language detection of short ads is unreliable. Two
indicators are computed: SCAM_HUB from ``places.yml`` and the salary half of HIGH_PAY_LOW_SKILL
from ``salaries.yml`` (offered pay far above typical for the destination and job type,
:mod:`bot.engines.wages`). Traditional Chinese is folded to simplified before matching.

Scoring is a noisy-OR of the indicator weights (weak signs count more when the job is abroad),
raised by the combinations of the content file (e.g. free trip + tourist visa + vague office job)
and lowered when reassuring facts (licensed agency, work visa, contract before departure) appear
and no strong sign does. One weak sign alone therefore stays "low".

The rules (data model, loading ``indicators.yml``) are in :mod:`bot.engines.indicators`, the
offset mapping in :mod:`bot.engines.offsets`; this module applies them.

Evidence spans are cut from the ORIGINAL text: the normalised offsets are mapped back through a
per-character alignment; if that alignment cannot be rebuilt (e.g. Zawgyi input) the evidence is
the normalised span and ``FlagHit.mapped`` is False.
"""

from __future__ import annotations

import logging
import re
from typing import NamedTuple

from bot import DEFAULT_LANGUAGE, LANGUAGES
from bot.content import ContentCache, ContentError
from bot.engines.amounts import extract_amounts
from bot.engines.indicators import (
    ABROAD,
    APPLICATION,
    FAIR_PAY,
    INDICATORS_FILE,
    JOB_AD,
    LURE_ABROAD,
    LURE_REGION,
    MAX_CHARS,
    MAX_REASSURANCES,
    MITIGATION,
    NAMED_JOB,
    NO_JOB,
    PROCESS,
    REASSURANCES,
    VARIABLE_PAY,
    OfferCheck,
    Rules,
    load_rules,
)
from bot.engines.offer_model import OfferModel, offer_model
from bot.engines.offsets import Mapper
from bot.engines.patterns import blank, fold, fold_offsets
from bot.engines.places import PlaceHit, find_places_normalized
from bot.engines.salaries import salary_sense
from bot.engines.segment import segment
from bot.engines.text import normalize, to_simplified
from bot.engines.wages import job_type, pay_spans

log = logging.getLogger(__name__)

_cache: ContentCache[Rules] = ContentCache(load_rules, (INDICATORS_FILE,))


def rules() -> Rules:
    """Current indicator rules (the last good version when a reload failed)."""
    return _cache.get()


def reset_caches() -> None:
    """Forget all cached content (tests, or after ``bot.content.CONTENT_DIR`` changed)."""
    from bot.engines import places, salaries

    _cache.reset()
    salaries.reset_cache()
    places.reset_cache()


# --- the check ---------------------------------------------------------------------------------


def _language(text: str, language: str | None) -> str:
    if language in LANGUAGES:
        return language  # type: ignore[return-value]
    try:
        from bot.engines.language import detect_language

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


def _office_role_at_a_named_workplace(found: dict[str, tuple[int, int]], match_text: str) -> bool:
    """An interpreter or clerk for a named factory, site or clinic, under a licence or contract.

    A vague office role is what compounds advertise ("translator for an online company"); the
    same role at a workplace the salary tables know (``workplace_job_types``: a garment
    factory, a building site, a hospital) with statutory terms (``mitigations``: contract,
    work permit, licence) and no chat-app recruiter is that workplace's job, not a lure.
    """
    if MITIGATION not in found or "SOCIAL_MEDIA_RECRUITER" in found:
        return False
    sense = salary_sense()
    named = sense.job_patterns.first_matches(match_text)
    return any(job in sense.workplace_job_types for job in named)


def _skilled_trade(job: str | None, spans: dict[str, tuple[int, int]]) -> str | None:
    """A trade the salary tables name (a hotel's front desk) that asks for skills is skilled work.

    Its pay is judged against the skilled table and its language or computer requirement is the
    trade's own, not the compounds' hunt for typists (TARGETS_SKILLED is dropped). A vague office
    role or an ad that names no job keeps both: that is exactly what compounds advertise.
    """
    sense = salary_sense()
    if job in (None, "entry_office") or job in sense.skilled_job_types:
        return job
    if spans.pop("TARGETS_SKILLED", None) is None:
        return job
    return next(iter(sorted(sense.skilled_job_types)), job)


def _matches(r: Rules, norm: str) -> tuple[str, dict[str, tuple[int, int]]]:
    """The folded text and the first span of every key found, in ``norm``'s offsets."""
    match_text = fold(norm)
    found = r.matcher.first_matches(match_text)
    if found and len(match_text) != len(norm):  # fold dropped apostrophes or marks
        offsets = fold_offsets(norm)
        found = {k: (offsets[s], offsets[e - 1] + 1) for k, (s, e) in found.items()}
    return match_text, found


def _application_copy_only(r: Rules, norm: str, found: dict[str, tuple[int, int]]) -> bool:
    """A passport copy among a licensed agency's application documents is not a handover.

    The same for a passport handed to a ministry, embassy or licensed agency for the visa. Only
    with a licence, statutory terms or an employer's due process (tests, interviews) and no
    chat-app recruiter; and only if no other handover sign is left once that copy is blanked out:
    a company or boss that keeps the passport is still flagged, licence or not.
    """
    if APPLICATION not in found or "SOCIAL_MEDIA_RECRUITER" in found:
        return False
    if MITIGATION not in found and PROCESS not in found:
        return False
    rest = fold(blank(norm, [found[APPLICATION]]))
    return r.matcher.first_match("PASSPORT_HANDOVER", rest) is None


def _score(
    r: Rules,
    spans: dict[str, tuple[int, int]],
    found: dict[str, tuple[int, int]],
    hub_weight: float,
    context: set[str],
) -> float:
    """Noisy-OR of the weights, raised by combinations, lowered by reassurances.

    Reassurances (a licence or statutory terms; an employer's due process such as a written
    test or an interview at the office; a fair wage for a job the ad names) each multiply the
    score by ``mitigation_factor`` (at most :data:`MAX_REASSURANCES` kinds), but
    only when no strong sign of how the person is moved or held (tourist visa, passport kept,
    crossing...) is present: a licence number lowers the risk, it never clears such an offer.
    Context flags (a hub town, high pay read from the salary table) do not block them.
    Several signs (``several_signs``) abroad or in a hub town keep their floor after a claimed
    licence or visa; only an employer's due process (a checkable fact) lowers them.
    """
    abroad = ABROAD in context
    score, blocking = 1.0, False
    for iid in spans:
        ind = r.indicators[iid]
        weight = hub_weight if iid == "SCAM_HUB" else ind.weight
        if ind.strength == "weak" and abroad:
            weight = min(0.95, weight * r.abroad_factor)
        contextual = ind.context and not (ind.computed == "salary" and iid in found)
        if ind.strength == "strong" and weight >= 0.3 and not contextual:
            blocking = True
        score *= 1.0 - weight
    score = 1.0 - score
    present = set(spans) | context
    if "SCAM_HUB" in present and hub_weight < r.hub_combination_floor:
        present.discard("SCAM_HUB")  # a capital's ordinary jobs: its weight counts, no combination
    for combo in r.combinations:
        if combo.all <= present:
            score = max(score, combo.min_score)
    reassurances = min(MAX_REASSURANCES, sum(1 for key in REASSURANCES if key in found))
    if spans and not blocking and reassurances:
        score *= r.mitigation_factor**reassurances
    signs = len(present - context)  # a capital's hub weight is no sign here either
    several = r.several_signs and (abroad or hub_weight) and signs >= r.several_signs[0]
    if several and PROCESS not in found:
        score = max(score, r.several_signs[1])  # a claimed visa or licence does not clear them
    return min(1.0, max(0.0, score))


def _context(
    r: Rules,
    places: list[PlaceHit],
    home: str | None,
    found: dict[str, tuple[int, int]],
    abroad: bool,
    job: str | None,
) -> set[str]:
    """Computed context keys combinations may name: abroad, a lure destination, no job named."""
    context: set[str] = set()
    if abroad:
        context.add(ABROAD)
        if LURE_REGION in found or any(
            p.country in r.lure_countries and p.country != home for p in places
        ):
            context.add(LURE_ABROAD)
    if job is None and NAMED_JOB not in found:
        context.add(NO_JOB)
    return context


def check_offer(
    text: str, language: str | None = None, with_rules: Rules | None = None,
    with_model: OfferModel | None = None,
) -> OfferCheck:
    """Check one job offer; never raises on odd input (empty, emoji, binary, huge).

    ``with_rules`` checks against other rules than the published ones (the admin page's
    "try a pattern" on a draft); ``with_model`` with another learned model than the shipped
    one (``python -m bot offers-eval``).
    """
    if not isinstance(text, str):
        text = str(text or "")
    text = text[:MAX_CHARS]
    lang = (
        _language(text, language)
        if text.strip()
        else (language if language in LANGUAGES else DEFAULT_LANGUAGE)
    )
    shown = normalize(text)
    if not shown:
        return OfferCheck(lang or DEFAULT_LANGUAGE, "low", 0.0, [])
    norm = to_simplified(shown)  # one for one: spans in ``norm`` are spans in ``shown``
    r = with_rules or rules()
    match_text, found = _matches(r, norm)
    mapper = Mapper(text, shown)
    spans = {k: v for k, v in found.items() if k in r.indicators}

    places = find_places_normalized(norm)
    # An ad in traditional characters is written from Taiwan or Hong Kong ("zh-hant" row).
    home = r.home_countries.get("zh-hant" if lang == "zh" and norm != shown else lang)
    hub_weight = 0.0
    if "SCAM_HUB" in r.indicators:
        hubs = [p for p in places if p.is_scam_hub]
        if hubs:
            top = max(hubs, key=lambda p: p.offer_weight)
            hub_weight = top.offer_weight
            spans["SCAM_HUB"] = (top.start, top.end)
    abroad = ABROAD in found or LURE_REGION in found or any(p.country != home for p in places)
    if "PASSPORT_HANDOVER" in spans and _application_copy_only(r, norm, found):
        del spans["PASSPORT_HANDOVER"]
    if "VAGUE_PAY_PROMISE" in spans and any(
        not a.fee for a in extract_amounts(norm, lang, None, normalized=True)
    ):
        del spans["VAGUE_PAY_PROMISE"]  # "good salary, $400": the figure is judged instead
    if "VAGUE_OFFICE_ROLE" in spans and _office_role_at_a_named_workplace(found, match_text):
        del spans["VAGUE_OFFICE_ROLE"]
    vague = "VAGUE_OFFICE_ROLE" in spans
    job = _skilled_trade(job_type(match_text, vague), spans)
    if "HIGH_PAY_LOW_SKILL" in r.indicators:
        where = (_destination(places, home), home)
        span, fair = pay_spans(norm, text, lang, where, job, not vague)
        if span is not None:
            spans["HIGH_PAY_LOW_SKILL"] = span  # the amount is the clearest evidence
        if fair is not None:
            found[FAIR_PAY] = fair
    if VARIABLE_PAY in found and not abroad and not hub_weight:
        spans.pop("HIGH_PAY_LOW_SKILL", None)  # a sales job at home: commission is not bait

    context = _context(r, places, home, found, abroad, job)
    score = _score(r, spans, found, hub_weight, context)
    risk = "high" if score >= r.high else "medium" if score >= r.medium else "low"
    if r.learned is not None and risk != "high":
        model = with_model or offer_model()
        if model is not None:
            calm = LURE_ABROAD not in context and "SOCIAL_MEDIA_RECRUITER" not in spans
            decided = PatternVerdict(risk, score, calm and any(k in found for k in REASSURANCES))
            risk, score = _second_opinion(r, model, decided, norm, match_text, spans)
    order = list(r.indicators)
    flags = [mapper.hit(iid, *spans[iid]) for iid in sorted(spans, key=order.index)]
    return OfferCheck(lang, risk, score, flags)


class PatternVerdict(NamedTuple):
    """What the patterns decided about an ad, before the learned model is asked."""

    risk: str
    score: float
    reassured: bool  # a licence, due process or fair pay for a named job; no lure country


def _second_opinion(
    r: Rules,
    model: OfferModel,
    decided: PatternVerdict,
    norm: str,
    match_text: str,
    spans: dict[str, tuple[int, int]],
) -> tuple[str, float]:
    """The learned model's say on an ad the patterns did not find high-risk (offer_model).

    A low-risk ad it is confident about gets "some warning signs" and its own flag, quoting the
    words that weighed most; a medium-risk ad it is confident is ordinary becomes low, its flags
    still listed. Without the model the patterns decide alone. A reassured ad (no chat-app
    recruiter either) needs ``learned_reassured`` from the model, a guess from wording, to rise.
    """
    risk, score, reassured = decided
    probability = model.probability(match_text)
    raise_above, clear_below = r.learned or (1.0, 0.0)
    if reassured and r.learned_reassured is not None:  # stricter, never looser
        raise_above = max(raise_above, r.learned_reassured)
    if risk == "low" and probability >= raise_above:
        flag = next(iid for iid, ind in r.indicators.items() if ind.computed == "model")
        span = model.evidence(match_text) or (0, 0)  # no word weighed: the flag, unquoted
        if span[1] > span[0] and len(match_text) != len(norm):  # fold dropped marks
            offsets = fold_offsets(norm)
            span = (offsets[span[0]], offsets[span[1] - 1] + 1)
        spans[flag] = span
        return "medium", max(score, r.medium)
    if risk == "medium" and probability < clear_below:
        return "low", min(score, r.medium - 0.01)
    return risk, score


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
        if JOB_AD in found:
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
