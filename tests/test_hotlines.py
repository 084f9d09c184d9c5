"""Hotline content: schema validation, ordering, and that NOT_FOUND is never shown."""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path

import pytest
import yaml

from bot.content import ContentError
from bot.engines.countries import choices
from bot.engines.hotlines import (
    KINDS,
    NOT_REVERIFIED,
    STATUSES,
    all_hotlines,
    hotlines_for,
    likely_nationality,
    load_hotlines,
    stale_hotlines,
)

CONTENT = Path(__file__).resolve().parent.parent / "content"
COUNTRIES = (
    "TH",
    "MM",
    "KH",
    "LA",
    "VN",
    "ID",
    "PH",
    "MY",
    "CN",
    "NP",
    "LK",
    "IN",
    "BD",
    "ET",
    "KE",
    "UG",
    None,
)
NATIONALITIES = (*"PH ID VN TH MY MM KH LA CN TW IN LK NP BD PK KE UG ET NG GH BR".split(),)


def test_every_entry_is_sourced_and_dated() -> None:
    lines = all_hotlines()
    assert len(lines) >= 30
    for line in lines:
        assert line.source.strip() and isinstance(line.verified_on, dt.date)
        assert line.status in STATUSES and line.kind in KINDS
        assert line.confirmed == (line.status == "OK")
        assert line.number or line.url or line.status == "NOT_FOUND"


def test_reference_numbers_present() -> None:
    numbers = {(h.country, h.number): h.status for h in all_hotlines()}
    assert numbers[("TH", "1800 010 180")] == "OK"  # Issara, official page
    assert numbers[("TH", "1300")] == "CHECK"  # undated secondary source
    assert numbers[("TH", "1694")] == "CHECK"  # Ministry of Labour, 2017
    assert numbers[("VN", "111")] == "CHECK"  # source not re-verified
    assert numbers[("PH", "+66 81 989 7116")] == "OK"  # DFA statement on scam centres, 2025
    assert numbers[("MM", None)] == "NOT_FOUND"
    for emergency in [
        ("TH", "191"),
        ("TH", "1669"),
        ("TH", "1155"),
        ("KH", "119"),
        ("MM", "199"),
        ("LA", "1191"),
        ("VN", "113"),
        ("VN", "115"),
        ("ID", "112"),
        ("PH", "911"),
        ("CN", "110"),
        ("CN", "120"),
        ("NP", "100"),
        ("MY", "999"),
    ]:
        assert emergency in numbers, emergency


def test_sources_are_original() -> None:
    for line in all_hotlines():
        assert "REFERENCE" not in line.source and "/work/" not in line.source, line.id
        assert line.source_url or line.status == "NOT_FOUND" or NOT_REVERIFIED in line.source
        if NOT_REVERIFIED in line.source:
            assert line.status == "CHECK", line.id


def test_every_nationality_and_compound_country_has_a_record() -> None:
    """A line, or a NOT_FOUND record, for each nationality at home and in TH/MM/KH/LA."""
    lines = all_hotlines()
    for nationality in NATIONALITIES:
        mine = [h for h in lines if h.country == nationality and h.serves == "nationals"]
        assert any(h.kind != "embassy" for h in mine), nationality
        for where in ("TH", "MM", "KH", "LA"):
            if where != nationality:
                assert any(h.located_in == where for h in mine), (nationality, where)


def test_not_found_never_returned() -> None:
    for country, nationality, emergency in itertools.product(COUNTRIES, COUNTRIES, (True, False)):
        for line in hotlines_for(country, nationality, emergency):
            assert line.status != "NOT_FOUND"
            assert line.number or line.url


def test_shown_contacts_are_reachable_from_where_the_person_is() -> None:
    for country, nationality, emergency in itertools.product(COUNTRIES, NATIONALITIES, (1, 0)):
        for line in hotlines_for(country, nationality, bool(emergency)):
            assert line.number or (line.url and line.url.startswith(("https://", "mailto:")))
            assert line.kind != "scams"
            if line.number and not line.number.startswith("+") and country is not None:
                assert (line.located_in or line.country) == country, (line.id, country)
            if line.number and not line.number.startswith("+") and country is None:
                # Place unknown: only the line content names for each compound country.
                assert line.id in dict(choices().compounds).values(), line.id


def test_confirmed_before_unconfirmed_everywhere() -> None:
    for country, nationality, emergency in itertools.product(COUNTRIES, NATIONALITIES, (1, 0)):
        flags = [h.confirmed for h in hotlines_for(country, nationality, bool(emergency))]
        assert flags == sorted(flags, reverse=True), (country, nationality)


def test_order_local_then_embassy_then_home_lines() -> None:
    lines = hotlines_for("MM", "PH", emergency=False)
    assert lines[0].id == "ph-embassy-mm" and lines[0].confirmed  # the embassy where they are
    assert lines[1].number == "+63 2 1348"  # then the home country's line that works abroad
    assert "1348" not in [h.number for h in lines], "a domestic short code is not shown abroad"
    lines = hotlines_for("TH", "PH", emergency=False, language="tl")
    assert [h.id for h in lines[:2]] == ["ph-embassy-th", "ph-dmw-owwa-abroad"]
    assert lines[2].id == "th-tourist-police-1155", "then the police line for foreigners"
    assert len({h.contact for h in lines}) == len(lines), "a contact is listed once"


def test_emergency_numbers_first_in_an_emergency_among_equals() -> None:
    lines = hotlines_for("KH", None, emergency=True)
    assert lines[0].kind == "emergency" and "117" in [h.number for h in lines]
    calm = hotlines_for("KH", None, emergency=False)
    assert calm[0].kind == "anti_trafficking"


def test_language_decides_among_equal_lines() -> None:
    assert hotlines_for("TH", "MM", emergency=False, language="my")[0].number == "1800 010 180"
    assert hotlines_for("TH", "KH", emergency=False, language="km")[0].number == "1800 010 181"


def test_unknown_place_gives_the_nationality_lines_then_each_compound_countrys_line() -> None:
    compounds = dict(choices().compounds)
    lines = hotlines_for(None, None, emergency=True)
    assert {h.country for h in lines} == set(compounds)  # one line per country, named by it
    assert {h.id for h in lines} == set(compounds.values())
    lines = hotlines_for(None, "VN", emergency=False)
    assert lines[0].number == "+84 981 84 84 84"
    assert all(h.kind != "embassy" for h in lines)


def test_compound_lines_named_in_content_exist_and_are_shown() -> None:
    by_id = {h.id: h for h in all_hotlines()}
    for code, hotline_id in choices().compounds:
        assert by_id[hotline_id].country == code and by_id[hotline_id].status != "NOT_FOUND"


def test_myanmar_lines() -> None:
    assert [h.number for h in hotlines_for("MM", None, emergency=False)] == ["199"]
    lines = hotlines_for("MM", "TH", emergency=True)
    assert lines[0].confirmed and lines[0].country == "TH"
    assert any(h.number == "199" and not h.confirmed for h in lines)


def test_unknown_and_lowercase_codes() -> None:
    assert hotlines_for("zz", "yy", True) == []
    assert hotlines_for("vn", None, False)[0].number == "111"


def test_likely_nationality_is_a_hint() -> None:
    assert likely_nationality("th") == "TH"
    assert likely_nationality("my") == "MM"
    assert likely_nationality("tl") == "PH"
    assert likely_nationality("en") is None
    assert likely_nationality("") is None


def test_stale_hotlines() -> None:
    today = dt.date(2026, 12, 22)
    stale = {h.id for h in stale_hotlines(24, today=today)}
    assert "in-mea-pbsk" in stale  # not re-verified since the 2018 source
    assert "vn-mofa-citizen-protection" not in stale  # checked 2026-12-04
    assert all(h.status != "NOT_FOUND" for h in stale_hotlines(0, today=today))


def _write(tmp_path: Path, mutate) -> Path:  # noqa: ANN001
    data = yaml.safe_load((CONTENT / "hotlines.yml").read_text(encoding="utf-8"))
    mutate(data["hotlines"])
    (tmp_path / "hotlines.yml").write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    return tmp_path


def _set(entry: str, field: str, value) -> object:  # noqa: ANN001
    def mutate(entries: list[dict]) -> None:
        target = next(e for e in entries if e["id"] == entry)
        if value is _DELETE:
            del target[field]
        else:
            target[field] = value

    return mutate


_DELETE = object()
TH1300 = "th-msdhs-1300"


@pytest.mark.parametrize(
    ("mutate", "field"),
    [
        (_set(TH1300, "number", "13OO"), "number"),
        (_set(TH1300, "number", "call 1300"), "number"),
        (_set(TH1300, "number", 1300), "number"),
        (_set(TH1300, "source", _DELETE), "source"),
        (_set(TH1300, "source", "  "), "source"),
        (_set(TH1300, "verified_on", _DELETE), "verified_on"),
        (_set(TH1300, "verified_on", "last year"), "verified_on"),
        (_set(TH1300, "status", "MAYBE"), "status"),
        (_set(TH1300, "kind", "hospital"), "kind"),
        (_set(TH1300, "country", "Thailand"), "country"),
        (_set(TH1300, "number", None), "number"),
        (_set(TH1300, "source_url", None), "source_url"),
        (_set(TH1300, "source", "REFERENCE.md §4"), "source"),
        (_set(TH1300, "serves", "everyone"), "serves"),
        (_set(TH1300, "channel", "web"), "url"),
        (_set(TH1300, "located_in", "MM"), "located_in"),
        (_set(TH1300, "url", "http://example.org"), "url"),
    ],
)
def test_schema_errors_name_file_entry_field(tmp_path: Path, mutate, field: str) -> None:  # noqa: ANN001
    directory = _write(tmp_path, mutate)
    with pytest.raises(ContentError) as err:
        load_hotlines(directory)
    assert err.value.file == "hotlines.yml"
    assert err.value.entry == "th-msdhs-1300"
    assert err.value.field == field
    assert "hotlines.yml" in str(err.value) and "th-msdhs-1300" in str(err.value)


def test_duplicate_id_rejected(tmp_path: Path) -> None:
    directory = _write(tmp_path, lambda entries: entries.insert(0, dict(entries[0])))
    with pytest.raises(ContentError) as err:
        load_hotlines(directory)
    assert err.value.field == "id"
