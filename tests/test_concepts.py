"""The concept lexicon and the concept stage (session 25, README "Session 25")."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from bot.content import ContentError
from bot.engines.concepts import MAX_CONCEPTS, ConceptLexicon
from bot.engines.distress_training import CONCEPTS_DIR, fit_concepts, read_concepts
from bot.engines.recogniser import Recogniser, fingerprint, fit
from bot.engines.text import normalize
from tests.helpers import assert_recogniser_setting_rejected

TABLES = {
    "en": {"MEDICINE": ["pill*", "panadol", "sleeping pills"], "HOW_MANY": ["how many"],
           "ENOUGH": ["enough"], "LAUGH": ["lol", "😂"]},
    "km": {"MEDICINE": ["ថ្នាំ"], "HOW_MANY": ["ប៉ុន្មាន"]},
    "zh": {"MEDICINE": ["安眠药", "药"], "HOW_MANY": ["多少"], "ENOUGH": ["才够"]},
}


def test_one_idea_reads_the_same_in_every_language() -> None:
    lexicon = ConceptLexicon(TABLES)
    for text in ("How many PANADOL is enough", "安眠药吃多少片才够"):
        assert lexicon(normalize(text)) == ["ENOUGH", "HOW_MANY", "MEDICINE", "ENOUGH+HOW_MANY",
                                            "ENOUGH+MEDICINE", "HOW_MANY+MEDICINE"]
    assert lexicon.found(normalize("ថ្នាំ para លេបប៉ុន្មានគ្រាប់")) == ["MEDICINE", "HOW_MANY"]


def test_latin_words_match_whole_words_unless_a_prefix() -> None:
    lexicon = ConceptLexicon(TABLES)
    assert lexicon.found("pills") == ["MEDICINE"]  # "pill*" is a prefix
    assert lexicon.found("panadols") == []  # "panadol" is a whole word
    assert lexicon.found("enoughh lolz") == []
    assert lexicon.found("traffic 😂") == ["LAUGH"]


def test_a_crafted_message_feeds_at_most_max_concepts() -> None:
    tables = {"en": {f"C_{chr(65 + i)}{chr(65 + j)}": [f"w{i}x{j}"] for i in range(6)
                     for j in range(6)}}
    lexicon = ConceptLexicon(tables)
    text = " ".join(f"w{i}x{j}" for i in range(6) for j in range(6)) * 50
    features = lexicon(text)
    assert len([f for f in features if "+" not in f]) == MAX_CONCEPTS
    assert len(features) == MAX_CONCEPTS + MAX_CONCEPTS * (MAX_CONCEPTS - 1) // 2


def test_the_lexicon_pickles_as_its_tables() -> None:
    lexicon = ConceptLexicon(TABLES)
    again = pickle.loads(pickle.dumps(lexicon))
    assert again.fingerprint() == lexicon.fingerprint()
    assert again("how many pills") == lexicon("how many pills")


def test_every_shipped_language_has_a_table() -> None:
    lexicon = read_concepts()
    assert lexicon is not None
    assert sorted(lexicon.tables) == ["en", "id", "km", "lo", "my", "ne", "th", "tl", "vi", "zh"]
    names = set(lexicon.tables["en"])
    assert all(set(table) == names for table in lexicon.tables.values())


@pytest.mark.parametrize(("text", "entry", "field"), [
    ("DIE: die\n", "DIE", None),
    ("die: [die]\n", "die", None),
    ("DIE: [die, '']\n", "DIE", "[1]"),
    ("DIE: [" + "x" * 41 + "]\n", "DIE", "[0]"),
    ("DIE: [die, \"\\u200b\"]\n", "DIE", "[1]"),  # only an invisible mark
    ("DIE: ['*die']\n", "DIE", "[0]"),  # a * only ends a word
    ("DIE: [die\n", None, None),  # not YAML
])
def test_a_careless_edit_names_the_file_the_concept_and_the_word(
        tmp_path: Path, text: str, entry: str | None, field: str | None) -> None:
    (tmp_path / "en.yml").write_text(text, encoding="utf-8")
    with pytest.raises(ContentError) as err:
        read_concepts(tmp_path)
    assert (err.value.file, err.value.entry, err.value.field) == (
        f"{tmp_path.name}/en.yml", entry, field)


def test_a_table_in_another_encoding_is_a_content_error(tmp_path: Path) -> None:
    (tmp_path / "th.yml").write_bytes("MEDICINE: [ยา]\n".encode("utf-16"))
    with pytest.raises(ContentError, match="UTF-8"):
        read_concepts(tmp_path)


def test_overlapping_words_keep_every_concept() -> None:
    lexicon = ConceptLexicon({"en": {"HOW_MANY": ["how many pills"], "MEDICINE": ["pills"],
                                     "TIRED": ["can't take it"]}})
    assert lexicon.found("how many pills") == ["HOW_MANY", "MEDICINE"]
    assert lexicon.found(normalize("i can\u2019t take it")) == ["TIRED"]  # a phone's apostrophe


def test_no_tables_no_lexicon(tmp_path: Path) -> None:
    assert read_concepts(tmp_path) is None
    assert CONCEPTS_DIR.is_dir()


def test_the_concept_stage_learns_an_idea_across_languages() -> None:
    """Taught in English and Chinese only, it scores the Khmer pill question as a cry."""
    lexicon = ConceptLexicon(TABLES)
    rows = [(normalize(t), label) for t, label in [
        ("how many panadol is enough", True), ("安眠药吃多少才够", True),
        ("how many panadol for a fever lol", False), ("hello", False), ("thanks", False),
        ("how many days", False)]] * 3
    model = fit_concepts(rows, lexicon)
    assert model is not None
    first = fit([("help", True), ("hi", False)] * 3)
    recogniser = Recogniser(first, "t", None, None, None, None, model)
    khmer = normalize("ថ្នាំ លេបប៉ុន្មានគ្រាប់ enough")
    assert recogniser.concept_probability(khmer) > recogniser.concept_probability("hello")
    assert Recogniser(first, "t").concept_probability(khmer) == 0.0
    assert fit_concepts([(t, False) for t, _ in rows], lexicon) is None


def test_the_concept_stage_changes_the_cache_key() -> None:
    rows = [("help they locked us in", True), ("hi", False)]
    lexicon = ConceptLexicon(TABLES)
    plain = fingerprint(rows, 8.0, rows)
    assert fingerprint(rows, 8.0, rows, concept_rows=rows) == plain  # no lexicon: no stage
    with_stage = fingerprint(rows, 8.0, rows, concept_rows=rows, lexicon=lexicon)
    assert with_stage != plain
    other = ConceptLexicon({"en": {"DIE": ["die"]}})
    assert fingerprint(rows, 8.0, rows, concept_rows=rows, lexicon=other) != with_stage


@pytest.mark.parametrize(("line", "field"), [
    ("  concept_above: 1.5\n", "concept_above"),
    ("  concept_first_above: 0.9\n", "concept_first_above"),  # above the threshold
])
def test_concept_settings_are_checked(tmp_path: Path, line: str, field: str) -> None:
    assert_recogniser_setting_rejected(tmp_path, line, field)


def test_content_validate_names_a_bad_concept_word(tmp_path: Path) -> None:
    from bot.content.validate import validate_dir

    (tmp_path / "concepts").mkdir()
    (tmp_path / "concepts" / "km.yml").write_text("MEDICINE: [ថ្នាំ, '']\n", encoding="utf-8")
    report = validate_dir(tmp_path)
    assert not report.ok
    assert any("km.yml" in str(problem) and "MEDICINE" in str(problem)
               for problem in report.errors)


def test_a_broken_table_turns_the_concept_stage_off_not_the_recogniser(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    from bot.engines import distress_training

    (tmp_path / "th.yml").write_text("MEDICINE: ยา\n", encoding="utf-8")
    monkeypatch.setattr(distress_training, "CONCEPTS_DIR", tmp_path)
    assert distress_training.usable_concepts() is None
    assert "th.yml, entry 'MEDICINE'" in caplog.text


def test_tables_that_name_no_training_word_give_no_stage() -> None:
    lexicon = ConceptLexicon({"en": {"DIE": ["zzqx"]}})
    assert fit_concepts([("help me", True), ("hi", False)] * 3, lexicon) is None
