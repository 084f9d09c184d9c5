"""The pattern module: RE2 semantics the content relies on, conditions, folding, refusals."""

from __future__ import annotations

import time

import pytest

from bot.engines import patterns as P


def rule(item):
    return P.compile_item(item)


def test_lookarounds_are_refused_with_advice():
    for bad in ("sick(?! of)", "(?<!no )help", "a(?=b)", "(?<=x)y"):
        with pytest.raises(P.PatternError, match="unless"):
            P.prepare(bad)


def test_backreferences_are_refused():
    with pytest.raises(P.PatternError, match="backreference"):
        P.prepare(r"(a)\1")


def test_checked_item_names_file_entry_and_field():
    from bot.content import ContentError

    with pytest.raises(ContentError) as info:
        P.checked_item("indicators.yml", "TOURIST_VISA", "patterns.zh[2]", "落地签(?!约)")
    message = str(info.value)
    assert "indicators.yml" in message and "TOURIST_VISA" in message and "patterns.zh[2]" in message


def test_unless_blanks_the_exception_but_keeps_other_hits():
    r = rule({"match": r"\bsick\b", "unless": r"\bsick of\b"})
    assert r.search(P.prepare_text("I'm sick of this job")) is None
    assert r.search(P.prepare_text("I'm sick of this, I am sick and there is no doctor"))


def test_not_with_vetoes_the_whole_text():
    r = rule({"match": "passport", "not_with": ["lost", "copy"]})
    assert r.search(P.prepare_text("they keep my passport"))
    assert r.search(P.prepare_text("I lost my passport")) is None


def test_unless_keeps_offsets():
    text = P.prepare_text("sick of it but sick now")
    span = rule({"match": "sick", "unless": "sick of"}).search(text)
    assert span is not None and text[span[0]:span[1]] == "sick" and span[0] > 10


def test_unicode_word_class_and_escapes():
    assert rule(r"\w+ไม่ได้").search(P.prepare_text("ออกไปไม่ได้"))
    assert rule(r"หนี\u0e49").search(P.prepare_text("หนี้สิน"))
    assert rule(r"หนี\u0e49").search(P.prepare_text("หนีไม่ได้")) is None


def test_fold_matches_accented_and_plain_latin_and_apostrophes():
    r = rule("luong cao")
    assert r.search(P.prepare_text("Việc nhẹ LƯƠNG CAO"))
    assert rule("dont tell").search(P.prepare_text("Don’t tell your family"))
    assert rule("ký hợp đồng").search(P.prepare_text("ky hop dong truoc"))


def test_fold_offsets_map_back():
    norm = "don't go, it's đẹp"
    folded = P.fold(norm)
    offsets = P.fold_offsets(norm)
    assert len(offsets) == len(folded) + 1
    start = folded.index("its")
    assert norm[offsets[start]:offsets[start + 2] + 1] == "it's"


def test_fold_offsets_every_text_maps_each_folded_char_back():
    """Both ways of mapping (runs between apostrophes; the loop when combining marks are
    present) send each folded character back to the raw character it came from."""
    import random

    rng = random.Random(7)
    alphabet = list("abcXYZ 'ʼ’`´éĐñ1\u0e01\u0e48\u0e51\u1041") + ["\u0301"]
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 25)))
        folded = P.fold(text)
        offsets = P.fold_offsets(text)
        assert len(offsets) == len(folded) + 1, text
        assert all(P.fold(text[offsets[i]]) == ch for i, ch in enumerate(folded)), text


def test_pattern_set_first_matches_and_mask():
    ps = P.PatternSet([("A", "foo"), ("A", "bar"), ("B", {"match": "baz", "unless": "bazooka"})])
    assert ps.first_matches("xx bar foo") == {"A": (3, 6)}
    assert ps.matches("bazooka baz") == {"B"}
    masked = ps.mask("foo bar")
    assert "foo" not in masked and len(masked) == len("foo bar")


def test_catastrophic_editor_pattern_is_linear():
    """The pattern that froze the admin page and the bot compiles and runs in linear time."""
    r = rule(r"(\w+\s?)+#")
    text = P.prepare_text("word " * 800)
    started = time.perf_counter()
    assert r.search(text) is None
    # A generous bound: backtracking took minutes here; RE2 takes well under a millisecond.
    assert time.perf_counter() - started < 0.5


def test_text_is_capped():
    assert len(P.prepare_text("a" * 50_000)) == P.MAX_INPUT_CHARS


def test_wide_gaps_are_alternated_apart_and_find_the_same():
    wide = [f"w{i}[^.]{{0,80}}x" for i in range(9)]
    narrow = [f"n{i}" for i in range(5)]
    assert P.is_wide("a[^.]{0,80}b") and P.is_wide("a{3,}") and not P.is_wide("a{0,5}b")
    patterns = P.PatternSet(("k", p) for p in narrow + wide)
    assert patterns.keys == ("k",)
    text = "n3 then w7 and some words x."
    assert patterns.matches(text) == {"k"} and patterns.any_match(text)
    assert patterns.first_matches(text)["k"] == (0, 2)
    assert patterns.mask(text) == "\n\n then " + "\n" * 19 + "."
    assert not patterns.any_match("w7 no end.") and patterns.first_match("k", "w7 no end.") is None


def test_non_latin_text_is_matched_and_masked_at_character_offsets():
    patterns = P.PatternSet([("k", "ชัตดาวน์[^.]{0,40}บ้าน"), ("j", "ขัง")])
    text = "ทดสอบ ชัตดาวน์ ไปบ้าน แล้วโดนขัง"
    k, j = text.index("ชัต"), text.index("ขัง")
    assert patterns.first_matches(text) == {"k": (k, text.index("บ้าน") + 4), "j": (j, j + 3)}
    assert patterns.mask(text) == "ทดสอบ " + "\n" * 15 + " แล้วโดน\n\n\n"


def test_conditional_rules_in_gated_chunks_answer_as_one_by_one():
    """Session 16: conditional rules are searched where their chunk's alternation of matches
    holds; the answers are those of trying every rule (two rules may share a match, and wide
    and narrow ones are chunked apart)."""
    from bot.engines.patterns import PatternSet

    items = [("A", {"match": r"\bsick\b", "unless": r"sick of"}),
             ("B", {"match": r"\bsick\b", "not_with": r"\bflu\b"}),  # the same match as A
             ("C", {"match": r"\bjump\b[^\n]{0,60}\bbridge\b", "not_with": r"\bphoto\b"}),
             *((f"N{i}", {"match": rf"\bword{i}\b", "unless": rf"not word{i}"})
               for i in range(150))]
    rules = PatternSet(items)
    for text, keys in [("i am sick of it", {"B"}), ("sick with flu", {"A"}), ("sick", {"A", "B"}),
                       ("jump off the bridge", {"C"}), ("photo: jump off the bridge", set()),
                       ("word7 and not word8 and word149", {"N7", "N149"})]:
        assert rules.matches(text) == keys, text
        assert rules.any_match(text) is bool(keys)
        for key in keys:
            assert rules.first_match(key, text) is not None
