"""The offer check's learned second opinion (bot/engines/offer_model.py): when it may speak,
what it may change, the evidence it quotes, and that held-out ads never train it."""

from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path

import pytest

from actions.job_offer import render_check
from bot.content import ContentError
from bot.engines import redflags
from bot.engines.indicators import FlagHit, OfferCheck, load_rules
from bot.engines.offer_model import EXAMPLES_FILE, model_text, offer_model, read_examples
from bot.engines.redflags import check_offer, rules
from bot.i18n import t
from tests.helpers import FixedOfferModel

ROOT = Path(__file__).resolve().parents[1]
HELD_OUT = ("offers_batch8.jsonl", "offers_batch16.jsonl", "offers_batch17.jsonl")
HIGH = ("Customer service job in Bangkok then transfer to Myawaddy. Free flight and tourist visa, "
        "the company keeps your passport. Contact HR on Telegram only.")
MEDIUM = "Call centre agents in Poipet, $300/month, contact on WhatsApp."


def test_held_out_ads_never_train_the_model() -> None:
    shipped = {json.loads(line)["text"].strip() for line in
               EXAMPLES_FILE.read_text(encoding="utf-8").splitlines() if line.strip()}
    for name in HELD_OUT:
        path = ROOT / "tests" / "data" / "blind" / name
        if path.exists():
            held = {json.loads(line)["text"].strip() for line in
                    path.read_text(encoding="utf-8").splitlines() if line.strip()}
            assert not shipped & held, name


def test_the_shipped_model_loads_and_reads_the_folded_text() -> None:
    model = offer_model()
    assert model is not None
    lure = "kerja di kamboja gaji dolar, tiket gratis, chat telegram"
    risky = model.probability(model_text(lure))
    bank = model.probability(model_text(
        "Teller wanted at ACLEDA Bank, Poipet branch. Salary $380/month, 13th-month pay, NSSF. "
        "Written test and interview at the branch."))
    assert risky > bank


def test_a_lure_the_patterns_miss_is_raised_with_words_quoted() -> None:
    text = "Part-time job at home, just like and share posts, earn every day, add me for details"
    patterns_only = dataclasses.replace(rules(), learned=None)
    assert check_offer(text, "en", with_rules=patterns_only).risk == "low"
    lowered = dataclasses.replace(rules(), learned=(0.5, 0.3))  # this one scores about 0.57
    check = check_offer(text, "en", with_rules=lowered)
    assert check.risk == "medium"
    flag = next(f for f in check.flags if f.id == "LIKE_KNOWN_SCAM_ADS")
    assert flag.evidence and flag.evidence in text


def test_high_risk_is_never_lowered() -> None:
    assert check_offer(HIGH, "en", with_model=FixedOfferModel(0.0)).risk == "high"


def test_a_confident_ordinary_verdict_lowers_medium_and_keeps_the_flags() -> None:
    alone = check_offer(MEDIUM, "en", with_rules=dataclasses.replace(rules(), learned=None))
    assert alone.risk == "medium"
    cleared = check_offer(MEDIUM, "en", with_model=FixedOfferModel(0.0))
    assert cleared.risk == "low"
    assert [f.id for f in cleared.flags] == [f.id for f in alone.flags]
    assert check_offer(MEDIUM, "en", with_model=FixedOfferModel(0.5)).risk == "medium"


def test_a_raise_without_evidence_still_names_the_flag() -> None:
    plain = "Looking for staff, message me."
    check = check_offer(plain, "en", with_model=FixedOfferModel(1.0))
    assert check.risk == "medium"
    assert [f.id for f in check.flags][-1] == "LIKE_KNOWN_SCAM_ADS"
    assert check_offer(plain, "en", with_model=FixedOfferModel(0.0)).risk == "low"


REASSURED = "Cashier at a supermarket in Mae Sot, 11,500 baht a month, social security."


@pytest.mark.parametrize("text", [
    "Staff needed in Mae Sot, message me.",  # no reassurance
    "Cashier at a supermarket in Poipet, $250 a month, NSSF.",  # a lure country
    REASSURED + " Contact us on Telegram only.",  # a chat-app recruiter
])
def test_the_model_raises_at_raise_above_without_a_checkable_reassurance(text: str) -> None:
    assert check_offer(text, "en", with_model=FixedOfferModel(0.85)).risk == "medium"


def test_a_reassured_ad_is_raised_only_at_raise_above_reassured() -> None:
    """A fair local wage for a named job in a hub town (and a licence, or due process) outside
    the lure countries: the model's wording guess needs more confidence to raise it."""
    assert rules().learned_reassured == 0.9
    assert check_offer(REASSURED, "en", with_model=FixedOfferModel(0.85)).risk == "low"
    assert check_offer(REASSURED, "en", with_model=FixedOfferModel(0.95)).risk == "medium"


def test_without_the_model_the_patterns_decide(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(redflags, "offer_model", lambda: None)
    alone = check_offer(MEDIUM, "en", with_rules=dataclasses.replace(rules(), learned=None))
    assert check_offer(MEDIUM, "en").to_dict() == alone.to_dict()


def test_a_low_verdict_that_lists_signs_does_not_say_none_were_found() -> None:
    signs = OfferCheck("en", "low", 0.2, [FlagHit("SCAM_HUB", "Poipet", 0, 6)])
    text = render_check("en", signs)
    assert t("en", "offer.verdict.low_signs") in text
    assert t("en", "offer.verdict.low") not in text
    assert t("en", "offer.verdict.low") in render_check("en", OfferCheck("en", "low", 0.0, []))


def test_bad_examples_name_the_line_and_field(tmp_path: Path) -> None:
    path = tmp_path / "offer_examples.jsonl"
    path.write_text('{"id": "a", "label": "risky", "text": "x"}\n{"id": "b", "label": "maybe", '
                    '"text": "y"}\n', encoding="utf-8")
    with pytest.raises(ContentError, match="label"):
        read_examples(path)
    path.write_text("not json\n", encoding="utf-8")
    with pytest.raises(ContentError, match="line 1"):
        read_examples(path)


@pytest.mark.parametrize(("learned", "error"), [
    ("{raise_above: 0.3, clear_below: 0.7}", "clear_below < raise_above"),
    ("[0.7, 0.3]", "must be a mapping"),
    ("{raise_above: 0.7, clear_below: 0.3, raise_above_reassured: 0.5}",
     "raise_above <= raise_above_reassured"),
])
def test_learned_thresholds_are_validated(tmp_path: Path, learned: str, error: str) -> None:
    shutil.copy(ROOT / "content" / "indicators.yml", tmp_path / "indicators.yml")
    path = tmp_path / "indicators.yml"
    text = path.read_text(encoding="utf-8")
    start = text.index("learned: {")
    end = text.index("\n", start)
    path.write_text(text[:start] + f"learned: {learned}" + text[end:], encoding="utf-8")
    with pytest.raises(ContentError, match=error):
        load_rules(tmp_path)


def test_offers_eval_holds_each_blind_batch_out_in_turn() -> None:
    from bot.commands.offers_eval import evaluate, table

    ads = [("Customer service in Myawaddy, free flight, contact on Telegram", "risky"),
           ("Typing job in Sihanoukville, $1500, no experience, tourist visa", "risky"),
           ("Teller at ACLEDA Bank Poipet branch, $380, interview at the branch", "ordinary"),
           ("Factory worker in Taiwan via licensed agency, NT$28,590, contract first", "ordinary")]
    examples = [{"id": f"o{b}-en-{i}", "lang": "en", "label": label, "text": f"{text} ({b})"}
                for b in (1, 2) for i, (text, label) in enumerate(ads)]
    result = evaluate(examples)
    assert result["all"]["risky"]["n"] == 4 and result["all"]["ordinary"]["n"] == 4
    assert result["o1"]["risky"]["n"] == result["o2"]["risky"]["n"] == 2
    assert "| all |" in table(result)
