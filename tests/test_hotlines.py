"""Hotline content: schema validation, ordering, and that NOT_FOUND is never shown."""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path

import pytest
import yaml

from bot.content import ContentError
from bot.hotlines import (
    KINDS,
    STATUSES,
    all_hotlines,
    hotlines_for,
    likely_nationality,
    load_hotlines,
    stale_hotlines,
)

CONTENT = Path(__file__).resolve().parent.parent / "bot" / "content"
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
    assert numbers[("TH", "1300")] == "OK"
    assert numbers[("TH", "1694")] == "CHECK"
    assert numbers[("VN", "111")] == "OK"
    assert numbers[("PH", "1343")] == "OK"
    assert numbers[("NP", "1141")] == "CHECK"
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


def test_not_found_never_returned() -> None:
    for country, nationality, emergency in itertools.product(COUNTRIES, COUNTRIES, (True, False)):
        for line in hotlines_for(country, nationality, emergency):
            assert line.status != "NOT_FOUND"
            assert line.number or line.url


def test_order_emergency_then_local_then_nationality() -> None:
    lines = hotlines_for("KH", "VN", emergency=True)
    kinds = [h.kind for h in lines]
    assert kinds[0] == "emergency"
    assert lines[0].number == "117"
    first_vn = next(i for i, h in enumerate(lines) if h.country == "VN")
    assert all(h.country == "KH" for h in lines[:first_vn])
    assert lines[first_vn].kind == "citizen_protection"
    assert len({h.number for h in lines}) == len(lines), "a number is listed once"


def test_no_emergency_numbers_unless_emergency() -> None:
    lines = hotlines_for("TH", "MM", emergency=False)
    assert lines and all(h.kind != "emergency" for h in lines)
    assert lines[0].number == "1300"


def test_confirmed_before_unconfirmed_within_group() -> None:
    lines = hotlines_for("TH", None, emergency=False)
    local = [h for h in lines if h.kind in ("anti_trafficking", "ngo")]
    assert local and local[0].confirmed
    flags = [h.confirmed for h in hotlines_for(None, "ID", emergency=False)]
    assert flags == sorted(flags, reverse=True)


def test_myanmar_has_only_emergency_and_nationality_lines() -> None:
    assert [h.number for h in hotlines_for("MM", None, emergency=False)] == []
    lines = hotlines_for("MM", "TH", emergency=True)
    assert lines[0].number == "199" and not lines[0].confirmed
    assert any(h.country == "TH" for h in lines)


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
    today = dt.date(2026, 11, 22)
    stale = {h.id for h in stale_hotlines(24, today=today)}
    assert "cn-mfa-12308" in stale  # source from 2014
    assert "vn-anti-trafficking-111" not in stale  # 2025-09-20
    assert all(h.status != "NOT_FOUND" for h in stale_hotlines(0, today=today))


def _write(tmp_path: Path, mutate) -> Path:  # noqa: ANN001
    data = yaml.safe_load((CONTENT / "hotlines.yml").read_text(encoding="utf-8"))
    mutate(data["hotlines"])
    (tmp_path / "hotlines.yml").write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    return tmp_path


def _set(index: int, field: str, value) -> object:  # noqa: ANN001
    def mutate(entries: list[dict]) -> None:
        if value is _DELETE:
            del entries[index][field]
        else:
            entries[index][field] = value

    return mutate


_DELETE = object()


@pytest.mark.parametrize(
    ("mutate", "field"),
    [
        (_set(0, "number", "13OO"), "number"),
        (_set(0, "number", "call 1300"), "number"),
        (_set(0, "number", 1300), "number"),
        (_set(0, "source", _DELETE), "source"),
        (_set(0, "source", "  "), "source"),
        (_set(0, "verified_on", _DELETE), "verified_on"),
        (_set(0, "verified_on", "last year"), "verified_on"),
        (_set(0, "status", "MAYBE"), "status"),
        (_set(0, "kind", "hospital"), "kind"),
        (_set(0, "country", "Thailand"), "country"),
        (_set(0, "number", None), "number"),
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
    directory = _write(tmp_path, lambda entries: entries.append(dict(entries[0])))
    with pytest.raises(ContentError) as err:
        load_hotlines(directory)
    assert (err.value.entry, err.value.field) == ("th-msdhs-1300", "id")
