"""Distress triage: does a message come from (or about) someone trapped, hurt or in danger?

``triage(text, language=None) -> Triage`` decides with two parts: the learned recogniser
(:mod:`bot.engines.recogniser`, trained on the labelled messages) gives the probability of a cry for
help, and the signal patterns of ``content/distress.yml`` (CONFINEMENT, DOCUMENTS_TAKEN,
VIOLENCE, THREAT_OF_SALE, DEBT_BONDAGE, SUICIDAL, CALL_FOR_HELP, ...) say what the message is
about. A message is distress when the probability reaches the content's threshold, or when an
emergency signal (violence, a death threat, being sold, self-harm) holds: the models outvote one
only in a message about a film, a series or the news (``recogniser.emergency_veto_signals``) that
both stages score far below their bars (``emergency_veto_below``, ``emergency_veto_first_below``).
Then the bars and vetoes of the ``recogniser`` block, each with its measured reason in
``distress.yml``: a short message beside a signal needs only ``short_with_signal`` (session 10);
a short one with no signal needs ``alone_threshold`` (session 12); a distress no signal calls is
vetoed by the ordinary stage (``ordinary_veto_below``, session 13); a writer safe now needs
``threshold`` (``safe_now_signals``, session 14); a pasted job ad is vetoed by the ad stage
(``ad_veto_below``): a job seeker gets its check, not the hotlines. A distress that only a wish
to die calls distress (``check_in_signals``) and both stages read as hyperbole
(``check_in_below``: "exam tomorrow, I want to die") is a ``check_in``: not distress, but the
answer still carries the contacts and a caseworker offer (session 15); so is one whose other
words the second stage reads as everyday life (``check_in_rest_below``: "finals tomorrow." of
"finals tomorrow. i want to die", session 17), but never a wish that names no cause and no
joke ("toi muon chet": ``check_in_bare_letters``, session 21).
Severity is ``emergency`` for an emergency signal or a cry the severity stage reads as one
(``emergency_above``, ``emergency_alone_above``; session 19), ``urgent`` for other distress,
``none`` otherwise. It also infers the country the person is probably in from scam-hub places
(:func:`.places.find_places`). This is the one decision: the bot's router and
``python -m bot triage`` both call it. The content it decides with (signals, guards, thresholds,
the fitted recogniser) is loaded and validated by :mod:`bot.engines.distress_content`.

Design notes:
* Every language's patterns are tried on every message; the ``language`` field is only
  reported, never used to filter. How the signals are found (guards blanked, stretched words
  read twice) is :mod:`bot.engines.distress_signals`.
* Patterns compile once per content version (ContentCache reloads on file change). ``triage``
  never raises: a failure is logged at DEBUG (never the text) and yields a conservative result.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from bot import DEFAULT_LANGUAGE, LANGUAGES
from bot.content import ContentError
from bot.engines import distress_content
from bot.engines.distress_content import SCAM_HUB, SEVERITIES, DistressContent, Signal
from bot.engines.distress_signals import (
    any_signal,
    first_hand,
    folded_for_patterns,
    forms,
    found_signals,
    is_bare_call_for_help,
    is_code_word,
    match_signals,
    weighted_letters,
    without_signals,
)
from bot.engines.distress_training import model_text
from bot.engines.patterns import MAX_INPUT_CHARS
from bot.engines.text import squeeze_repeats

log = logging.getLogger(__name__)

#: Signal reported when a deployment's discreet code word is used.
CODE_WORD = "CODE_WORD"


@dataclass
class Triage:
    """Result of :func:`triage`."""

    language: str
    distress: bool
    severity: str  # "emergency" | "urgent" | "none"
    signals: list[str] = field(default_factory=list)
    places: list[str] = field(default_factory=list)
    country: str | None = None
    #: The recogniser's probability that this is a cry for help (1.0 for a code word).
    confidence: float = 0.0
    #: Not distress: a wish to die read as hyperbole or beside an everyday cause, answered with
    #: a question and the contacts.
    check_in: bool = False

    @property
    def reaches_out(self) -> bool:
        """The answer carries the contacts: distress or a check-in."""
        return self.distress or self.check_in

    @property
    def case_severity(self) -> str:
        """The severity to act on: a check-in is a wish to die, an emergency for the order of
        the contacts and for the caseworker who reads the case; else :attr:`severity`."""
        return "emergency" if self.check_in else self.severity

    def to_dict(self) -> dict[str, Any]:
        return {
            "language": self.language,
            "distress": self.distress,
            "severity": self.severity,
            "signals": list(self.signals),
            "confidence": round(self.confidence, 3),
            "check_in": self.check_in,
            "country": self.country,
        }


def _places(text: str) -> tuple[list[str], str | None, bool]:
    """Place ids, the likely country (scam hub first, else last place named), any scam hub."""
    try:
        from bot.engines.places import find_places

        hits = find_places(text)
    except Exception:  # noqa: BLE001 - a places failure must not hide distress
        log.debug("find_places failed", exc_info=True)
        return [], None, False
    if not hits:
        return [], None, False
    ids = list(dict.fromkeys(h.id for h in hits))
    hubs = [h for h in hits if h.is_scam_hub]
    if hubs:
        best = max(hubs, key=lambda h: (getattr(h, "hub_weight", 0.0), h.start))
        return ids, best.country or None, True
    return ids, hits[-1].country or None, False


def _language(text: str, language: str | None) -> str:
    if language:
        try:
            from bot.engines.language import normalize_language_code

            code = normalize_language_code(language)
        except Exception:  # noqa: BLE001
            code = language if language in LANGUAGES else None
        if code:
            return code
    try:
        from bot.engines.language import detect_language

        return detect_language(text, hint=language).code
    except Exception:  # noqa: BLE001
        return DEFAULT_LANGUAGE


def _reads_like_pasted_ad(text: str) -> bool:
    """:func:`.redflags.reads_like_pasted_ad`; on failure False (a cry is never lost to it)."""
    try:
        from bot.engines.redflags import reads_like_pasted_ad

        return reads_like_pasted_ad(text[:MAX_INPUT_CHARS])
    except Exception:  # noqa: BLE001 - the ad rule may only ever clear, never hide, distress
        log.debug("reads_like_pasted_ad failed", exc_info=True)
        return False


def _emergency_vetoed(data: DistressContent, normalized: str, texts: tuple[str, ...],
                      first: float) -> bool:
    """Both stages far below their bars (``recogniser.emergency_veto_below`` / ``_first_below``)
    in a message with one of ``emergency_veto_signals`` (a film, the news), or both below the
    much lower ``emergency_joke_veto_below`` in one with an ``emergency_joke_signals`` (a laughter
    marker, a work/exam/traffic idiom); never with an ``emergency_keep_signals`` ("not joking",
    "now I am inside"). Looked for in the text before the guards blank anything ("watched the
    doc" is a guard): README "Session 7" and "Session 8"."""
    if data.recogniser is None:
        return False
    if first >= max(data.emergency_veto_first_below, data.emergency_joke_veto_below):
        return False
    if any_signal(data, data.emergency_keep_signals, texts):
        return False
    media = data.emergency_veto_below > 0 and (  # each veto has its own "0: off"
        not data.emergency_veto_signals or any_signal(data, data.emergency_veto_signals, texts))
    joke = (data.emergency_joke_veto_below > 0 and first < data.emergency_joke_veto_below
            and any_signal(data, data.emergency_joke_signals, texts))
    if not media and not joke:
        return False
    cry = data.recogniser.cry_probability(normalized)
    return (media and first < data.emergency_veto_first_below
            and cry < data.emergency_veto_below) or (joke and cry < data.emergency_joke_veto_below)


def _with_signal(data: DistressContent, letters: int, found: set[str]) -> float:
    """The first stage's bar beside a signal: ``short_with_signal`` for a message of at most
    ``short_letters`` letters (Thai, Khmer, Lao and Chinese write without spaces), else
    ``with_signal``; ``threshold`` for a writer safe now (one of ``safe_now_signals``, none of
    ``first_hand_signals``: "tricked into Myawaddy, home now, I want to help others")."""
    if found & data.safe_now_signals and not found & data.first_hand_signals:
        return data.threshold
    if data.short_letters and letters <= data.short_letters:
        return min(data.with_signal, data.short_with_signal)
    return data.with_signal


def _alone_threshold(data: DistressContent, letters: int, found: set[str]) -> float:
    """The first stage's bar with no signal at all: ``alone_threshold`` for a message of at most
    ``alone_letters`` letters, else ``threshold`` (held out, "ไม่ได้", no, scored 0.88)."""
    if not found and data.alone_letters and letters <= data.alone_letters:
        return max(data.threshold, data.alone_threshold)
    return data.threshold


def _compound(data: DistressContent, found: dict[str, Signal], by_patterns: bool,
              texts: tuple[str, ...]) -> bool:
    """At least ``compound_signals`` distinct signals of distress found, one of them calling it
    distress, and none of ``compound_unless_signals`` (a film, safe now, a joke) in the text
    before the guards: "the ticket said Bangkok, taken across the river at night, now scam 16
    hours a day, no salary" names four urgent facts and no emergency; the second stage vetoed
    it at 0.13-0.22 (session 14, README)."""
    if not data.compound_signals or not by_patterns:
        return False
    named = sum(1 for s in found.values() if s.severity != "none")
    return (named >= data.compound_signals
            and not any_signal(data, data.compound_unless_signals, texts))


def _bare_wish(data: DistressContent, normalized: str, folded: str) -> bool:
    """A wish to die that says nothing else: with its spans blanked (in the squeezed form, so
    "dieeee" is blanked too) fewer than ``check_in_bare_letters`` letters are left and no joke
    marker holds. Both stages score "toi muon chet" or "好想死 😢" below 0.01 (the labelled wishes
    in jest share their words), but a wish in jest names its everyday cause ("明天考试 想死"):
    on the held-out sets of session 21, 16 cries lost to a check-in and no close call. A wish
    found only once a guard was blanked leaves nothing blanked here: bare, the safe side."""
    if not data.check_in_bare_letters:
        return False
    squeezed = squeeze_repeats(normalized)
    squeezed_folded = folded if squeezed == normalized else folded_for_patterns(squeezed)
    rest, _ = without_signals(squeezed, squeezed_folded, data.check_in_patterns)
    return (weighted_letters(rest) < data.check_in_bare_letters
            and not any_signal(data, data.emergency_joke_signals, forms(folded)))


def _check_in(data: DistressContent, found: dict[str, Signal], normalized: str, folded: str,
              first: float) -> float | None:
    """If only ``check_in_signals`` are signals of distress and none of ``first_hand_signals``:
    the second stage's probability when both stages are below ``check_in_below``; else, when
    the second stage reads the whole below ``check_in_rest_full_below`` and the rest of the
    message (the wish blanked; words it did not touch hold at least ``check_in_rest_letters``
    letters: "finals tomorrow.") below ``check_in_rest_below``, its probability on the rest (a
    check-in); else None. ``check_in_below`` 0 turns both off."""
    if not data.check_in_below or (found.keys() & data.first_hand_signals):
        return None
    calling = {s.id for s in found.values() if s.severity != "none"}  # active or not
    if not calling or not calling <= data.check_in_signals:
        return None
    if _bare_wish(data, normalized, folded):
        return None
    cry = data.recogniser.cry_probability(normalized)
    if first < data.check_in_below and cry < data.check_in_below:
        return cry
    if not data.check_in_rest_below or cry >= data.check_in_rest_full_below:
        return None
    rest, letters = without_signals(normalized, folded, data.check_in_patterns)
    if letters < max(1, data.check_in_rest_letters):
        return None  # a wish to die and little else: nothing else to weigh
    cry = data.recogniser.cry_probability(rest)
    return cry if cry < data.check_in_rest_below else None


def _learned_emergency(data: DistressContent, normalized: str, by_patterns: bool) -> bool:
    """The severity stage reads a cry no emergency signal named as an emergency ("they took him
    to the back room, we heard screaming": violence without a listed word). A distress only the
    models called needs the higher ``emergency_alone_above``: everyday texts the models raise
    (a roof, a river, pills) read like the labelled emergencies. CV by batch: README
    "Session 19"."""
    if data.recogniser is None or not data.emergency_above:
        return False
    bar = data.emergency_above if by_patterns else max(data.emergency_above,
                                                        data.emergency_alone_above)
    return data.recogniser.emergency_probability(normalized) >= bar


def _triage(text: str, language: str | None) -> Triage:
    data = distress_content.content()
    lang = _language(text, language)
    normalized = model_text(text)
    folded = folded_for_patterns(normalized)
    texts = forms(folded)  # squeezed once here, used by every check below
    ids = found_signals(data.signals, data.guard, folded, stretched=len(texts) > 1)
    found = {s.id: s for s in data.signals if s.id in ids}
    place_ids, country, scam_hub = _places(text[:MAX_INPUT_CHARS])

    present = set(found) | ({SCAM_HUB} if scam_hub else set())
    active = [
        s
        for s in found.values()
        if s.standalone or (s.needs_any and present.intersection(s.needs_any))
    ]
    signal_ids = [s.id for s in data.signals if s.id in found]
    severity_rank = max((SEVERITIES.index(s.severity) for s in active), default=0)
    emergency = severity_rank == SEVERITIES.index("emergency")
    by_patterns = any(s.severity != "none" for s in active)
    check_in = vetoed = False
    if data.recogniser is not None:
        confidence = data.recogniser.probability(normalized)
        if emergency and _emergency_vetoed(data, normalized, texts, confidence):
            # A question about a film on compounds ("the electric-shock scene was brutal") fires
            # VIOLENCE: only both stages far below their bars take the override away; the
            # rest of the decision (and its veto) then applies as to any other signal.
            emergency, vetoed = False, True
            severity_rank = SEVERITIES.index("urgent")
        # An emergency signal (violence, a death threat, being sold) is not outvoted; other
        # signals lower the bar: the patterns and the model are two pieces of evidence.
        letters = sum(ch.isalpha() for ch in folded)  # both bars below depend on the length
        compound = not emergency and _compound(data, found, by_patterns, texts)
        bar = _with_signal(data, letters, ids)
        distress = (
            emergency
            or confidence >= _alone_threshold(data, letters, ids)
            or (by_patterns and confidence >= (min(bar, data.compound_with_signal)
                                               if compound else bar))
        )
        if (distress and not emergency and data.ad_veto_below > 0
                and set(found) <= data.ad_signals and _reads_like_pasted_ad(text)):
            # A pasted job ad tells of abroad, a boss, a passport and a debt like a cry does; the
            # ad stage (cries against close calls and job ads) decides (README: triage-eval).
            cry = data.recogniser.ad_cry_probability(normalized)
            if cry < data.ad_veto_below:
                distress, confidence = False, cry
        if distress and not emergency and not compound and data.veto_below > 0:
            # The second stage knows close calls ("safe now", a game, the news) from cries;
            # when it is confident, it vetoes (confidence then reports its probability). Not a
            # compound cry: four facts of distress outweigh its wording (``_compound``).
            cry = data.recogniser.cry_probability(normalized)
            if cry < data.veto_below:
                distress, confidence = False, cry
        if distress and not by_patterns and data.ordinary_veto_below > 0:
            # No signal calls it distress, the first stage alone did: the ordinary stage (cries
            # against close calls AND everyday traffic) may veto ("i said no", a thank-you).
            cry = data.recogniser.ordinary_cry_probability(normalized)
            if cry < data.ordinary_veto_below:
                distress, confidence = False, cry
        if distress and (cry := _check_in(data, found, normalized, folded, confidence)) is not None:
            check_in, distress, confidence = True, False, cry
        if not distress and data.concept_above > 0 and confidence >= data.concept_first_above:
            # The concept stage reads the idea, not the wording: "how many sleeping pills is
            # enough" learned in any language counts in every other; alone it raised hundreds of
            # close calls held out, so the score the decision reports must lean that way too: the
            # first stage's, or that of the stage that vetoed it or made it a check-in (measured
            # so, README "Session 25"). Never a pasted ad: it names money, abroad, a boss too.
            concept = data.recogniser.concept_probability(normalized)
            if concept >= data.concept_above and not _reads_like_pasted_ad(text):
                distress, check_in, confidence = True, False, max(confidence, concept)
    else:  # no model could be loaded: the patterns decide, as they did before the model
        distress = by_patterns
        confidence = 1.0 if distress else 0.0
    if not distress and by_patterns and first_hand(data, set(found)):
        # "Who can help me get out of here? ... stuck here two months" (a Khmer cry scored 0.10):
        # the writer says it is happening to them, beside a signal of distress (README "Session 9").
        distress = True
    if not distress and any(is_bare_call_for_help(f, active, data.bare_cry_other_letters)
                            for f in texts):
        # Two words say too little for a model to weigh (a Burmese "please save us 🙏" scored
        # 0.06); the contacts cost a joke little, silence costs a person in danger much more.
        distress = True
    if distress and not severity_rank:
        severity_rank = SEVERITIES.index("urgent")
    if distress and not emergency and not vetoed and _learned_emergency(data, normalized,
                                                                        by_patterns):
        severity_rank = SEVERITIES.index("emergency")

    if data.code_words is not None and any(data.code_words.search(f) for f in texts):
        signal_ids.append(CODE_WORD)
        distress, confidence = True, 1.0
        severity_rank = max(severity_rank, SEVERITIES.index("urgent"))

    severity = SEVERITIES[severity_rank] if distress else "none"
    return Triage(lang, distress, severity, signal_ids, place_ids, country, confidence,
                  check_in and not distress)


def names_a_wish_to_die(result: Triage) -> bool:
    """One of ``recogniser.check_in_signals`` is in the result: add the suicide-prevention lines."""
    try:
        return bool(set(result.signals) & distress_content.content().check_in_signals)
    except ContentError:  # no content: the card answers as before
        return False


def triage(text: str, language: str | None = None) -> Triage:
    """Triage one user message. Never raises; ``language`` (if known) is reported as given."""
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    try:
        return _triage(text, language)
    except ContentError as exc:  # no good content was ever loaded: say so loudly (no user text)
        log.error("distress content unavailable: %s", exc)
    except Exception:  # noqa: BLE001 - must never raise on user input
        log.debug("triage failed", exc_info=True)
    return Triage(language or DEFAULT_LANGUAGE, False, "none")


__all__ = ["Triage", "triage", "is_code_word", "match_signals", "names_a_wish_to_die"]
