"""The README's contacts table is generated from the content and never stale; country names."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from rasa.shared.nlu.training_data.message import Message

from bot.content.hotlines_table import END, START, render_table
from bot.engines.countries import choices, country_code, country_named
from bot.rasa_components.router import route

ROOT = Path(__file__).resolve().parent.parent


def test_readme_holds_the_generated_table() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    current = readme[readme.index(START) : readme.index(END) + len(END)]
    assert current == render_table(), "run: python -m bot content hotlines-table --write"


def test_the_table_covers_every_nationality_and_compound_country() -> None:
    table = render_table()
    for code in "PH ID VN TH MY MM KH LA CN TW IN LK NP BD PK KE UG ET NG GH BR".split():
        assert f"\\n| {code} | " in repr(table), code
    assert "Embassy in MM" in table and "REFERENCE" not in table


def test_the_command_prints_the_table() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "bot", "content", "hotlines-table"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    assert out.strip() == render_table()


def test_country_names_in_every_language() -> None:
    for text, code in [
        ("Kenya", "KE"),
        ("  kenya! ", "KE"),
        ("เคนยา", "KE"),
        ("肯尼亚", "KE"),
        ("肯亞", "KE"),
        ("Burma", "MM"),
        ("Viet Nam", "VN"),
        ("ဗီယက်နမ်", "VN"),
        ("ລາວ", "LA"),
        ("កម្ពុជា", "KH"),
        ("नेपाल", "NP"),
        ("Brasil", "BR"),
    ]:
        assert country_named(text) == code, text
    for text in ("", "hello", "ok", "help me", "x" * 500, "/need_help"):
        assert country_named(text) is None, text
    assert country_code("ke") == "KE" and country_code("EU") is None and country_code(3) is None
    assert set(choices().where) >= {"TH", "MM", "KH", "LA"}
    assert {"PH", "ID", "VN", "CN"} <= set(choices().passport)


def test_router_turns_a_bare_country_name_into_an_answer() -> None:
    message = Message.build("Nigeria")
    route(message)
    assert message.get("intent")["name"] == "need_help"
    assert {"entity": "place", "value": "NG"}.items() <= message.get("entities")[0].items()
    plea = Message.build("help me they locked us in myanmar")
    route(plea)
    assert plea.get("intent")["name"] == "distress"
