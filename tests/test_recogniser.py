"""The learned distress recogniser: which examples are close calls, and how they weigh."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.content import ContentError
from bot.engines import distress_content
from bot.engines.distress_content import load_distress
from bot.engines.distress_training import example_row, read_examples
from bot.engines.recogniser import Recogniser, fingerprint, fit, fit_second, is_close_call
from tests.helpers import use_content

CONTENT = Path(__file__).resolve().parent.parent / "content"


@pytest.mark.parametrize(
    ("example", "expected"),
    [
        ({"label": False, "family": "close_game"}, True),
        ({"label": False, "family": "joke_trapped"}, True),
        ({"label": False, "family": "ordinary_visa"}, False),
        ({"label": False, "family": "thanks"}, False),
        ({"label": False}, False),
        ({"label": True, "family": "real_locked"}, False),
    ],
)
def test_close_calls_are_negatives_of_a_non_ordinary_family(example: dict, expected: bool) -> None:
    assert is_close_call(example) is expected


def test_shipped_close_calls_weigh_the_content_weight() -> None:
    examples = read_examples()
    close = [e for e in examples if is_close_call(e)]
    assert len(close) >= 700  # b3-b5, cc and cc2 (README)
    assert example_row(close[0], 6.0)[2] == 6.0
    real = next(e for e in examples if e["label"])
    assert example_row(real, 6.0)[2] == 1.0


def test_a_weighted_close_call_pulls_its_wording_down() -> None:
    rows = [("help they locked us in", True), ("please help me escape", True),
            ("stuck in traffic help lol", False), ("thanks for the help", False)] * 3
    plain = fit(rows).predict_proba(["stuck help lol"])[0][1]
    weighted = fit([(t, label, 6.0 if t.endswith("lol") else 1.0) for t, label in rows])
    assert weighted.predict_proba(["stuck help lol"])[0][1] < plain
    assert fingerprint(rows, 8.0) != fingerprint([(t, lb, 2.0) for t, lb in rows], 8.0)


@pytest.mark.parametrize("value", ["0.5", "100", "true", "'six'"])
def test_close_call_weight_is_checked(tmp_path: Path, value: str) -> None:
    text = (CONTENT / "distress.yml").read_text(encoding="utf-8")
    assert "  close_call_weight: 6\n" in text
    text = text.replace("  close_call_weight: 6\n", f"  close_call_weight: {value}\n", 1)
    (tmp_path / "distress.yml").write_text(text, encoding="utf-8")
    with pytest.raises(ContentError) as err:
        load_distress(tmp_path)
    assert (err.value.entry, err.value.field) == ("recogniser", "close_call_weight")


@pytest.mark.parametrize("value", ["1", "-0.1", "true", "'half'"])
def test_veto_below_is_checked(tmp_path: Path, value: str) -> None:
    text = (CONTENT / "distress.yml").read_text(encoding="utf-8")
    assert "  veto_below: 0.35\n" in text
    text = text.replace("  veto_below: 0.35\n", f"  veto_below: {value}\n", 1)
    (tmp_path / "distress.yml").write_text(text, encoding="utf-8")
    with pytest.raises(ContentError) as err:
        load_distress(tmp_path)
    assert (err.value.entry, err.value.field) == ("recogniser", "veto_below")


def _veto_content(first_rows: list, second_rows: list, veto: float):  # noqa: ANN202
    from dataclasses import replace


    model = Recogniser(fit(first_rows), "test", fit_second(second_rows))
    return replace(distress_content.content(), recogniser=model, veto_below=veto)


def test_second_stage_vetoes_a_close_call_but_never_an_emergency(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The first stage says "trapped/help" is distress; the second knows the game wording."""
    from bot.engines import triage as engine

    first = [("trapped help", True), ("locked in help", True), ("thanks bye", False),
             ("visa fee question", False)] * 4
    second = [("trapped help they lock us", True), ("locked in help please", True),
              ("trapped in the game level help lol", False),
              ("game level locked lol", False)] * 4
    game = "trapped in the game level help lol"
    off, on = _veto_content(first, second, 0.0), _veto_content(first, second, 0.5)
    use_content(monkeypatch, off)
    assert engine.triage(game).distress  # no veto: the first stage alone
    use_content(monkeypatch, on)
    vetoed = engine.triage(game)
    assert not vetoed.distress and vetoed.confidence < 0.5
    assert engine.triage("trapped help they lock us").distress
    beaten = engine.triage("game level lol but they beat me with a stick every night")
    assert beaten.distress and beaten.severity == "emergency"  # an emergency signal wins


def test_second_stage_needs_both_kinds() -> None:
    assert fit_second([("help", True)] * 3) is None
    first = fit([("help me", True), ("hi there", False)] * 3)
    assert Recogniser(first, "x").cry_probability("anything") == 1.0


def test_the_flattened_scorer_gives_scikit_learns_probability() -> None:
    """The shipped model, both stages, on every fortieth labelled message and unknown words (every
    tenth took 15 s of the fast suite once the labelled set passed 11,000 rows)."""
    from bot.engines.distress_content import content
    from bot.engines.distress_training import model_text

    model = content().recogniser
    assert model is not None
    texts = [model_text(e["text"]) for e in read_examples()[::40]] + ["", "zzqx 🙂", "ok"]
    for text in texts:
        assert model.probability(text) == pytest.approx(
            model.pipeline.predict_proba([text])[0][1], abs=1e-9)  # fmt: skip
        assert model.cry_probability(text) == pytest.approx(
            model.second.predict_proba([text])[0][1], abs=1e-9)  # fmt: skip


def test_bad_distress_examples_name_the_row_and_field(tmp_path: Path) -> None:
    """A careless edit of the labelled messages names the row and the field, as the offers do."""
    path = tmp_path / "distress_examples.jsonl"
    path.write_text('{"id": "a", "label": true, "text": "help"}\n'
                    '{"id": "b", "label": 1, "text": "x"}\n', encoding="utf-8")
    with pytest.raises(ContentError, match="'b'.*label"):
        read_examples(path)
    path.write_text('{"id": "c", "label": false, "text": " "}\n', encoding="utf-8")
    with pytest.raises(ContentError, match="'c'.*text"):
        read_examples(path)
    path.write_text("[1]\n", encoding="utf-8")
    with pytest.raises(ContentError, match="line 1"):
        read_examples(path)



def test_the_ordinary_stage_learns_ordinary_messages_as_not_a_cry() -> None:
    """Session 13 (issue #14): the ordinary stage learns cries against close calls AND the other
    negatives (ordinary families, the NLU's other intents); the second and ad stages keep their
    rows (cries against close calls; and job ads)."""
    from bot.engines import distress_training as training
    from bot.engines.distress_training import ORDINARY_STAGE_WEIGHT, stage_weight

    assert stage_weight({"label": True, "family": "real_locked"}, 0.5) == 1.0
    assert stage_weight({"label": False, "family": "close_game"}, 0.5) == 1.0
    assert stage_weight({"label": False, "family": "ordinary_thanks"}, 0.5) == 0.5
    assert stage_weight({"label": False, "family": "ordinary_thanks"}) == 0.0
    weights = {row[0]: row[2] for row in training.ordinary_stage_rows()}  # type: ignore[misc]
    greetings = [training.model_text(t) for i, t in training.nlu_examples() if i == "greet"]
    assert greetings and all(weights.get(t) == ORDINARY_STAGE_WEIGHT for t in greetings)
    only = [training.model_text(t) for i, t in training.nlu_examples()
            if i == training.AD_STAGE_ONLY]
    assert not set(only) & set(weights)
    ordinary = [e for e in read_examples() if str(e.get("family", "")).startswith("ordinary_")]
    assert all(weights.get(training.model_text(e["text"])) == ORDINARY_STAGE_WEIGHT
               for e in ordinary[:50])
    for rows in (training.second_stage_rows(), training.second_stage_rows(ads=True)):
        assert not {row[0] for row in rows} & set(greetings)


def test_the_ordinary_stage_changes_the_cache_key() -> None:
    rows = [("help they locked us in", True), ("hi", False)]
    assert fingerprint(rows, 8.0, rows) == fingerprint(rows, 8.0, rows, (), ())
    assert fingerprint(rows, 8.0, rows) != fingerprint(rows, 8.0, rows, (), rows)
    assert fingerprint(rows, 8.0, rows, (), rows) != fingerprint(
        rows, 8.0, rows, (), [(t, lb, 0.5) for t, lb in rows])


def test_the_cache_key_of_every_stage_combination_is_pinned() -> None:
    """The keys as computed before the stages shared one hashing helper (4d48a64): a refactor
    that changed them would refit every deployed cache. A MODEL_VERSION bump changes them on
    purpose; pin the new keys with it."""
    from bot.engines.recogniser import MODEL_VERSION

    rows = [("help me they beat us", True), ("traffic jam hostage lol", False)]
    keys = [fingerprint(rows, 1.0), fingerprint(rows, 1.0, rows),
            fingerprint(rows, 1.0, rows, rows), fingerprint(rows, 1.0, rows, (), rows),
            fingerprint(rows, 1.0, rows, rows, rows, rows)]
    assert MODEL_VERSION == 6  # session 22: one BLAS thread per fit
    assert keys == ["6755538c3679f030ddb7", "5a195ce2b25dc40998a1", "beddbccc0a4cb6d5c4d6",
                    "1977392fcbd029dac691", "ae73e465e23f6b71b18a"]


def test_the_ordinary_stage_vetoes_only_a_distress_no_signal_called(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The first stage alone raised "menu pls"; the ordinary stage (cries against close calls
    and ordinary traffic) vetoes it below ``ordinary_veto_below``, never a message a signal
    calls distress (session 13, issue #14)."""
    from dataclasses import replace

    from bot.engines import triage as engine

    first = fit([("menu pls", True), ("help they lock us in", True), ("thanks bye", False),
                 ("visa fee question", False)] * 4)
    ordinary = fit_second([("help they lock us in", True), ("please get me out", True),
                           ("menu pls", False), ("menu please", False)] * 4)
    model = Recogniser(first, "test", None, None, ordinary)
    on = replace(distress_content.content(), recogniser=model, ordinary_veto_below=0.5,
                 veto_below=0.0, ad_veto_below=0.0)
    use_content(monkeypatch, replace(on, ordinary_veto_below=0.0))
    assert engine.triage("menu pls").distress  # off: the first stage alone
    use_content(monkeypatch, on)
    quiet = engine.triage("menu pls")
    assert not quiet.distress and quiet.confidence < 0.5
    assert engine.triage("help they lock us in").distress
    assert model.ordinary_cry_probability("menu pls, they took my passport") < 0.5
    assert engine.triage("menu pls, they took my passport").distress  # a signal: no veto


@pytest.mark.parametrize("value", ["1", "-0.1", "true", "'half'"])
def test_ordinary_veto_below_is_checked(tmp_path: Path, value: str) -> None:
    text = (CONTENT / "distress.yml").read_text(encoding="utf-8")
    old = "  ordinary_veto_below: 0.45\n"
    assert old in text
    (tmp_path / "distress.yml").write_text(
        text.replace(old, f"  ordinary_veto_below: {value}\n", 1), encoding="utf-8")
    with pytest.raises(ContentError) as err:
        load_distress(tmp_path)
    assert (err.value.entry, err.value.field) == ("recogniser", "ordinary_veto_below")


@pytest.mark.parametrize(
    ("text", "distress"),
    [
        # Everyday messages the first stage alone raised held out (session 13, NLU and labelled).
        ("i said no", False),
        ("menu pls", False),
        ("em đi đây", False),
        ("i have to go now", False),
        ("Cho em xin số tổng đài bảo hộ công dân để lưu phòng khi cần", False),
        # Cries with no signal or near the ordinary stage's bar stay cries.
        ("xin lỗi nhắn ngắn, có người đi kiểm tra. nếu hiểu thì chỉ gửi sticker con mèo thôi nha, "
         "đừng gõ chữ", True),
        ("help they lock us in the room", True),
        # Nervous laughter beside a beating: JOKE does not join the film/news veto (0.3 bars).
        ("lol they beat me again last night 😂 please help", True),
    ],
)
def test_the_ordinary_stage_on_the_shipped_model(text: str, distress: bool) -> None:
    from bot.engines.triage import triage

    assert triage(text).distress is distress


def test_triage_eval_fits_the_ordinary_stage_as_the_shipped_model() -> None:
    """CV measures what ships: a fold's ordinary stage learns cries against close calls and
    ordinary messages, and exists only when its veto is on."""
    from bot.commands.triage_eval import fold_models
    from bot.engines.distress_training import example_row

    train = [{"label": True, "text": "help they lock us in", "family": "real_locked"},
             {"label": False, "text": "locked in the game level lol", "family": "close_game"},
             {"label": False, "text": "menu pls", "family": "ordinary", "intent": "menu"}] * 3
    prepared = {id(e): example_row(e, 6.0) for e in train}
    first, second, ads, ordinary, severity, concepts = fold_models(train, prepared, False, True)
    assert severity is None and concepts is None  # their settings are off here
    assert ads is None and second is not None and ordinary is not None
    scorer = Recogniser(first, "t", second, None, ordinary)
    assert scorer.ordinary_cry_probability("menu pls") < 0.5 < scorer.cry_probability("menu pls")
    assert fold_models(train, prepared, False)[3] is None
