"""The learned recogniser: one decision for the CLI and the router, held-out blind batches,
bare cries, settings errors, traditional Chinese and swapped content."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from bot.content import ContentError
from bot.engines import distress_content
from bot.engines.distress_content import load_distress
from bot.engines.distress_training import read_examples
from bot.engines.patterns import fold
from bot.engines.triage import is_code_word, match_signals, triage

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"


def test_router_takes_the_triage_decision_and_demotes_a_classifier_only_distress() -> None:
    from rasa.shared.nlu.training_data.message import Message

    from bot.rasa_components.router import route

    def parsed(text: str, intent: str) -> Message:
        ranking = [{"name": intent, "confidence": 0.8}, {"name": "ask_faq", "confidence": 0.1}]
        return Message(data={"text": text, "intent": ranking[0], "intent_ranking": ranking})

    calm = parsed("thanks, see you tomorrow", "distress")
    route(calm)
    assert not triage("thanks, see you tomorrow").distress
    assert calm.get("intent")["name"] == "ask_faq"

    plea = parsed("they took my passport and lock us in, please help", "greet")
    route(plea)
    assert triage("they took my passport and lock us in, please help").distress
    assert plea.get("intent")["name"] == "distress"


@pytest.mark.quality
def test_held_out_blind_batches_keep_their_recall() -> None:
    """Trained without batches 3 and 4 (written blind, after the patterns), the whole decision
    still finds >= 95 % of their cries for help and every emergency (README: triage-eval)."""
    from dataclasses import replace
    from unittest import mock

    from bot.commands.triage_eval import batch_of
    from bot.engines import distress_training as training
    from bot.engines.recogniser import Recogniser, fit, fit_second, is_close_call

    examples = training.read_examples()
    held = [e for e in examples if batch_of(e["id"]) in ("b3", "b4")]
    weight = distress_content.content().close_call_weight
    train = [training.example_row(e, weight) for e in examples
             if batch_of(e["id"]) not in ("b3", "b4")]
    train += [(training.model_text(t), i == training.DISTRESS_INTENT)
              for i, t in training.nlu_examples() if i != training.AD_STAGE_ONLY]
    second = fit_second([training.example_row(e, 1.0)[:2] for e in examples
                         if batch_of(e["id"]) not in ("b3", "b4")
                         and (e["label"] or is_close_call(e))]
                        + [r[:2] for r in train if r[1]])
    content = replace(distress_content.content(),
                      recogniser=Recogniser(fit(train), "held-out", second))
    with mock.patch.object(distress_content, "content", lambda: content):
        found = [triage(e["text"]).distress for e in held]
    positives = [f for e, f in zip(held, found, strict=True) if e["label"]]
    emergencies = [f for e, f in zip(held, found, strict=True) if e.get("emergency")]
    negatives = [f for e, f in zip(held, found, strict=True) if not e["label"]]
    assert sum(positives) / len(positives) >= 0.95
    assert all(emergencies)
    assert 1 - sum(negatives) / len(negatives) >= 0.90  # 0.969 measured (README: triage-eval)


@pytest.mark.quality
def test_blind_batch_6_stays_held_out_and_keeps_its_figures() -> None:
    """Batch 6 was written blind and is not training data: recall, every emergency, ordinary
    messages untouched, and close calls at least as measured (README: 0.925)."""
    path = ROOT / "tests" / "data" / "blind" / "distress_batch6.jsonl"
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    ours = {r["id"] for r in read_examples()}
    assert not ours & {r["id"] for r in rows}  # never trained on
    found = {r["id"]: triage(r["text"]).distress for r in rows}
    real = [found[r["id"]] for r in rows if r["label"]]
    close = [found[r["id"]] for r in rows if r["family"].startswith("close")]
    ordinary = [found[r["id"]] for r in rows if r["family"].startswith("ordinary")]
    assert sum(real) / len(real) >= 0.95
    assert all(found[r["id"]] for r in rows if r.get("emergency"))
    assert not any(ordinary)
    assert 1 - sum(close) / len(close) >= 0.90


@pytest.mark.parametrize("text", ["ကယ်ကြပါဦး 🙏", "help", "help me please", "救命啊", "ช่วยด้วย"])
def test_a_bare_call_for_help_is_distress_whatever_the_models_say(text: str) -> None:
    """Blind batch 11: a Burmese "please save us 🙏" scored 0.06 and got no contact."""
    assert triage(text).distress


@pytest.mark.parametrize("text", [
    "救命 开会开了四个小时还没结束",  # a joke around "help" is not bare: the models decide
    "help me with my homework please, the essay is due tomorrow",
])
def test_a_call_for_help_inside_a_longer_message_is_not_bare(text: str) -> None:
    from bot.engines import distress_signals as engine
    from bot.engines import distress_training as training
    from bot.engines.distress_content import content

    data = content()
    signals = [s for s in data.signals if s.id == engine.CALL_FOR_HELP]
    assert not engine.is_bare_call_for_help(fold(training.model_text(text)), signals,
                                            data.bare_cry_other_letters)  # fmt: skip


@pytest.mark.parametrize("value", ["6", -1, 21, True, 2.5])
def test_bare_cry_setting_errors_name_the_field(tmp_path, value) -> None:
    shutil.copy(CONTENT / "distress.yml", tmp_path / "distress.yml")
    path = tmp_path / "distress.yml"
    text = path.read_text(encoding="utf-8")
    assert "  bare_cry_other_letters: 6\n" in text
    path.write_text(text.replace("  bare_cry_other_letters: 6\n",
                                 f"  bare_cry_other_letters: {value!r}\n"), encoding="utf-8")
    with pytest.raises(ContentError, match="bare_cry_other_letters"):
        load_distress(tmp_path)


def test_traditional_chinese_matches_the_simplified_patterns() -> None:
    """Signals read traditional characters as simplified; the model reads the text as written."""
    from bot.engines.text import to_simplified as simplified

    traditional = "要我匯錢贖人，不然就把他賣到別的園區"
    simple = "要我汇钱赎人，不然就把他卖到别的园区"
    assert simplified(traditional) == simple
    assert simplified("help, no Chinese here") == "help, no Chinese here"
    sold = "不然就把他賣到別的園區"
    assert set(match_signals(sold)) == set(match_signals("不然就把他卖到别的园区"))
    assert "THREAT_OF_SALE" in match_signals(sold)


def test_swapped_content_reaches_every_reader(monkeypatch: pytest.MonkeyPatch) -> None:
    """One place serves the distress content: a test (or triage-eval) that swaps it changes the
    decision, the signal matchers and the code words alike (the seam of session 16's review)."""
    from dataclasses import replace

    from tests.helpers import use_content

    cry = "they beat us every night and took our passports"
    assert match_signals(cry) and triage(cry).signals
    use_content(monkeypatch, replace(distress_content.content(), signals=(), code_words=None))
    assert match_signals(cry) == [] and triage(cry).signals == []
    assert not is_code_word("anything")
