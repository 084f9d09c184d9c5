"""Hostile input: every engine answers arbitrary Unicode without an exception, and fast.

Timing is measured by ``python -m bot bench --adversarial`` (README); the bound here only
catches a stall (backtracking took seconds to minutes), so it is generous on purpose.
"""

from __future__ import annotations

import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.commands.bench import _content_prefixes, whole_message
from bot.engines.adversarial import inputs, literal_starts
from bot.engines.amounts import extract_amounts
from bot.engines.faq import match_topic
from bot.engines.language import detect_language
from bot.engines.redflags import check_offer
from bot.engines.triage import triage

STALL_SECONDS = 1.0
FUZZ = settings(max_examples=150, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
# Letters of the scripts the assistant reads, marks, digits, spaces, punctuation, emoji.
ALPHABET = st.characters(codec="utf-8") | st.sampled_from(
    list("กขไม่ได้ຊ່ວຍໄປကူညီជួយ救命मद्दतabcđươ 0123456789.,'’\u200b\u0301😂")
)
TEXTS = st.text(alphabet=ALPHABET, max_size=600)


@FUZZ
@given(TEXTS)
def test_triage_never_raises(text):
    result = triage(text)
    assert result.severity in ("none", "urgent", "emergency")


@FUZZ
@given(TEXTS)
def test_check_offer_never_raises(text):
    assert check_offer(text).risk in ("low", "medium", "high")


@FUZZ
@given(TEXTS)
def test_language_detection_never_raises(text):
    assert detect_language(text).code


@FUZZ
@given(TEXTS, st.sampled_from(["en", "th", "vi", "zh", None]))
def test_amounts_and_faq_never_raise(text, language):
    extract_amounts(text, language)
    match_topic(text, language or "en")


def test_literal_starts_skip_syntax():
    assert literal_starts([r"\bhelp", "ช่วย(ด้วย)", "kk park"]) == ["ช่วย", "kk park"]


def test_attack_inputs_at_the_cap_do_not_stall():
    """Long runs of every script, mixed scripts, marks, Zawgyi, and content prefixes + runs."""
    prefixes = _content_prefixes()[::10]  # a spread of them; the benchmark runs them all
    whole_message("warm up: help me, 5000 baht, Myawaddy")  # loads content and models once
    slowest = (0.0, "")
    for name, text in inputs(prefixes):
        started = time.perf_counter()
        whole_message(text)
        elapsed = time.perf_counter() - started
        slowest = max(slowest, (elapsed, name))
    assert slowest[0] < STALL_SECONDS, slowest
