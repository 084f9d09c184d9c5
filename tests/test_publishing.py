"""Publishing content: validation, versions in real Redis, audit, hot reload in processes."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

import bot.engines.hotlines
from bot import content
from bot.cli import main as cli_main
from bot.content import ACTIVE_KEY, AUDIT_KEY, VERSION_COUNTER, ContentError
from bot.content import watcher as content_watcher
from bot.content.checks import PublishError
from bot.content.validate import validate_dir, validate_files
from bot.content.versions import (
    active_version,
    current_files,
    history,
    publish,
    read_dir,
    rollback,
    shipped_files,
    statuses,
    versions,
)
from bot.engines.redflags import check_offer
from bot.redis_server import RedisTarget

ROOT = Path(__file__).resolve().parent.parent
# A Vietnamese recruiter phrase ("on duty on the Telegram channel") the shipped content misses.
OFFER = "Việc nhẹ: trực kênh tele, liên hệ zalo"
NEW_PHRASE = ("vi: ['cham soc khach hang',", "vi: ['truc kenh tele', 'cham soc khach hang',")


def _flagged(text: str = OFFER) -> bool:
    return "VAGUE_OFFICE_ROLE" in {flag.id for flag in check_offer(text, "vi").flags}


def _with_phrase(files: dict[str, str]) -> dict[str, str]:
    old, new = NEW_PHRASE
    assert old in files["indicators.yml"]
    return {**files, "indicators.yml": files["indicators.yml"].replace(old, new)}


# --- fixtures ------------------------------------------------------------------------------------


@pytest.fixture
def client(redis_target: RedisTarget) -> Iterator[redis.Redis]:
    client = redis_target.client()
    client.flushdb()
    yield client
    client.flushdb()


@pytest.fixture
def watcher(
    redis_target: RedisTarget, client: redis.Redis
) -> Iterator[content_watcher.ContentWatcher]:
    """A content watcher in this test process, polling fast; back to shipped files after."""
    started = content_watcher.start_watcher(lambda: redis_target.client(), poll_seconds=0.3)
    assert started.synced.wait(5)
    yield started
    content_watcher.stop_watcher()


@pytest.fixture
def defect(tmp_path: Path):
    """A copy of the shipped content with one text replacement in one file."""

    def make(file: str, old: str, new: str, count: int = 1) -> Path:
        target = tmp_path / "content"
        shutil.copytree(content.CONTENT_DIR, target, dirs_exist_ok=True)
        text = (target / file).read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {file}"
        (target / file).write_text(text.replace(old, new, count), encoding="utf-8")
        return target

    return make


# --- validation ----------------------------------------------------------------------------------


def test_shipped_content_is_valid() -> None:
    report = validate_dir(content.CONTENT_DIR)
    assert report.ok, report.errors


def _one_error(report, *parts: str) -> str:
    assert not report.ok
    hits = [e for e in report.errors if all(p in e for p in parts)]
    assert hits, report.errors
    return hits[0]


def test_missing_translation_names_file_entry_field(defect) -> None:
    directory = defect("faq.yml", '      km: "មុនពេលទៅធ្វើការនៅបរទេស', '      xx_km: "')
    # The engine loader rejects the unknown key; restore YAML sanity by deleting the line instead.
    text = (directory / "faq.yml").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if not line.startswith('      xx_km: "')]
    (directory / "faq.yml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    error = _one_error(validate_dir(directory), "faq.yml", "'checklist'", "'answer.km'")
    assert "missing" in error


def test_translation_marked_missing_is_a_warning_not_an_error(defect) -> None:
    directory = defect("faq.yml", "  - id: checklist\n", "  - id: checklist\n    missing: [km]\n")
    text = (directory / "faq.yml").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if not line.startswith('      km: "មុនពេល')]
    (directory / "faq.yml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = validate_dir(directory)
    assert report.ok, report.errors
    assert any("marked missing" in w for w in report.warnings)


def test_placeholder_mismatch(defect) -> None:
    directory = defect(
        "faq.yml", 'vi: "Trước khi đi làm việc', 'vi: "{name}, trước khi đi làm việc'
    )
    error = _one_error(validate_dir(directory), "faq.yml", "'checklist'", "'answer.vi'")
    assert "placeholders" in error


def test_malformed_phone_number(defect) -> None:
    directory = defect("hotlines.yml", 'number: "1300"', 'number: "(02) 1300)"')
    error = _one_error(validate_dir(directory), "hotlines.yml", "'th-msdhs-1300'", "'number'")
    assert "parentheses" in error


def test_hotline_without_source(defect) -> None:
    directory = defect(
        "hotlines.yml",
        "    source: Ch7 News, 'พม.เปิดช่องทางแจ้งเบาะแสแรงงานหลบหนีเข้าเมือง' (c. 2020); Bangkok Post "
        "repost (gentrybusinessleader)\n",
        "",
    )
    _one_error(validate_dir(directory), "hotlines.yml", "'th-msdhs-1300'", "'source'")


def test_old_hotline_is_a_warning_with_max_age(defect) -> None:
    report = validate_dir(content.CONTENT_DIR, max_age_months=1000)
    assert report.ok and not any("verified_on" in w for w in report.warnings)
    report = validate_dir(content.CONTENT_DIR, max_age_months=6)
    assert report.ok
    assert any("'in-mea-pbsk'" in w and "'verified_on'" in w for w in report.warnings)


def test_pattern_that_does_not_compile(defect) -> None:
    old, _ = NEW_PHRASE
    directory = defect("indicators.yml", old, "vi: ['truc (kenh', 'cham soc khach hang',")
    _one_error(validate_dir(directory), "indicators.yml", "'VAGUE_OFFICE_ROLE'", "patterns.vi")


@pytest.mark.parametrize(
    ("file", "old", "new", "entry"),
    [
        # matches "" and so everything
        ("indicators.yml", NEW_PHRASE[0], "vi: ['(truc kenh)?', 'cham soc khach hang',",
         "'VAGUE_OFFICE_ROLE'"),
        # matches "hello"
        ("distress.yml", "guards:\n  en:\n", "guards:\n  en:\n    - 'l+'\n", "'guards'"),
        ("faq.yml", "keywords:\n      en: ['check ?list',", "keywords:\n      en: ['.*',",
         "'checklist'"),
    ],
)
def test_pattern_that_matches_everything(defect, file, old, new, entry) -> None:
    error = _one_error(validate_dir(defect(file, old, new)), file, entry)
    assert "matches almost any text" in error


def test_code_word_too_common(defect) -> None:
    directory = defect("distress.yml", "code_words:\n", "code_words:\n  - ok\n")
    _one_error(validate_dir(directory), "distress.yml", "'code_words'", "[0]")


def test_yaml_syntax_error_and_cli_exit_codes(defect, capsys) -> None:
    directory = defect("places.yml", "places:\n", "places:\n  - [unclosed\n")
    _one_error(validate_dir(directory), "places.yml", "not valid YAML")
    assert cli_main(["content", "validate", str(directory)]) == 1
    assert "ERROR   places.yml" in capsys.readouterr().out
    assert cli_main(["content", "validate"]) == 0


def test_validate_files_takes_texts() -> None:
    files = shipped_files()
    assert validate_files(files).ok
    broken = {**files, "hotlines.yml": files["hotlines.yml"].replace('"1300"', '"13+00"', 1)}
    assert not validate_files(broken).ok
    assert not validate_files({**files, "../evil.yml": "x: 1"}).ok


# --- versions, audit -----------------------------------------------------------------------------


def test_publish_refuses_invalid_content_and_stores_nothing(client: redis.Redis) -> None:
    files = shipped_files()
    broken = {**files, "indicators.yml": files["indicators.yml"].replace(
        NEW_PHRASE[0], "vi: ['.*', 'cham soc khach hang',")}
    with pytest.raises(PublishError) as info:
        publish(broken, who="alice", client=client)
    assert isinstance(info.value, ContentError)
    assert any("indicators.yml" in e for e in info.value.report.errors)
    assert client.get(VERSION_COUNTER) is None
    assert client.get(ACTIVE_KEY) is None
    assert client.llen(AUDIT_KEY) == 0
    assert client.keys("safejobs:content:v:*") == []
    with pytest.raises(PublishError):
        publish(files, who="  ", client=client)


def test_publish_rollback_history_versions(client: redis.Redis) -> None:
    files = shipped_files()
    assert active_version(client) is None and current_files(client) == files
    v1 = publish(_with_phrase(files), who="alice", note="new tele phrase", client=client)
    assert v1 == 1 and active_version(client) == 1
    assert current_files(client) == _with_phrase(files)
    # the admin page may send just the edited file
    edited = files["faq.yml"].replace("Safe migration checklist", "Safe migration check list")
    v2 = publish({"faq.yml": edited}, who="bob", client=client)
    assert v2 == 2 and current_files(client)["faq.yml"] == edited
    assert current_files(client)["indicators.yml"] == _with_phrase(files)["indicators.yml"]

    assert rollback(None, who="carol", client=client) == 1  # default: the one before
    assert active_version(client) == 1
    assert rollback(0, who="carol", client=client) == 0  # the shipped files
    assert active_version(client) is None and current_files(client) == files
    with pytest.raises(PublishError):
        rollback(7, who="carol", client=client)

    log = history(client=client)
    assert [e["action"] for e in log] == ["rollback", "rollback", "publish", "publish"]
    first = log[-1]
    assert first["who"] == "alice" and first["version"] == 1 and first["note"] == "new tele phrase"
    assert first["when"].endswith("+00:00")
    assert first["files"] == [
        {"file": "indicators.yml", "change": "changed", "added": 1, "removed": 1}
    ]
    assert "indicators.yml changed (+1 -1)" in first["summary"]
    assert log[0]["who"] == "carol" and log[0]["version"] == 0 and log[0]["previous"] == 1
    assert [v["version"] for v in versions(client)] == [2, 1]
    assert versions(client)[1]["who"] == "alice"


# --- hot reload ----------------------------------------------------------------------------------


def _wait(predicate, timeout: float = 8.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return predicate()


def test_published_phrase_is_picked_up_and_rolled_back_in_process(
    client: redis.Redis, watcher: content_watcher.ContentWatcher
) -> None:
    assert not _flagged()
    version = publish(_with_phrase(shipped_files()), who="alice", client=client)
    assert _wait(_flagged, timeout=15), "the published phrase was not picked up"
    assert content.current_source().version == version
    status = {s["process"]: s for s in statuses(client)}
    mine = status[watcher.status_key.split(":")[-1]]
    assert mine["version"] == str(version) and mine["ok"] == "1"

    rollback(None, who="alice", client=client)
    assert _wait(lambda: not _flagged(), timeout=15), "the rollback was not picked up"
    assert content.current_source().version is None


def test_version_that_fails_to_load_is_not_activated(
    client: redis.Redis, watcher: content_watcher.ContentWatcher, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken_loader(directory: Path | None = None) -> None:
        raise ContentError("hotlines.yml", "th-msdhs-1300", "number", "simulated failure")

    monkeypatch.setattr(bot.engines.hotlines._cache, "_loader", broken_loader)
    version = publish(_with_phrase(shipped_files()), who="alice", client=client)
    assert watcher.wait_for(lambda: watcher.failed_version == version, 8)
    # nothing was swapped in: not even the engines that did load
    assert content.current_source().version is None
    assert not _flagged()
    status = {s["process"]: s for s in statuses(client)}[watcher.status_key.split(":")[-1]]
    assert status["ok"] == "0" and status["wanted"] == str(version)
    assert "hotlines.yml" in status["error"] and "'number'" in status["error"]


SUBPROCESS = textwrap.dedent(
    """
    import sys, time
    from bot.content.watcher import ensure_watcher
    from bot.engines.redflags import check_offer
    ensure_watcher()  # what a serving process does when it starts (bot.warmup)
    offer = sys.argv[1]
    flagged = lambda: "VAGUE_OFFICE_ROLE" in {f.id for f in check_offer(offer, "vi").flags}
    print("ready", flagged(), flush=True)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if flagged():
            print("flagged", flush=True)
            break
        time.sleep(0.05)
    """
)


def test_published_phrase_reaches_another_process(
    client: redis.Redis, redis_target: RedisTarget
) -> None:
    env = {
        **os.environ,
        **redis_target.environment(),
        "BOT_CONTENT_POLL_SECONDS": "60",  # pub/sub must be what wakes it, not the poll
        "PYTHONPATH": str(ROOT),
    }
    env.pop("REDIS_URL", None)
    process = subprocess.Popen(
        [sys.executable, "-c", SUBPROCESS, OFFER],
        env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        assert process.stdout is not None
        assert process.stdout.readline().strip() == "ready False"
        time.sleep(0.3)  # let the watcher subscribe
        publish(_with_phrase(shipped_files()), who="alice", client=client)
        started = time.monotonic()
        assert process.stdout.readline().strip() == "flagged"
        # loading every engine's content takes ~1-2 s (more on a loaded machine); well before
        # the 60 s poll could have fired, so the publish notice is what woke the watcher
        assert time.monotonic() - started < 30
        process.wait(10)  # exits by itself, cleaning up its materialised content
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_cli_publish_history_rollback(
    client: redis.Redis, redis_target: RedisTarget, monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("REDIS_URL", f"redis://{redis_target.host}:{redis_target.port}/0")
    directory = tmp_path / "edited"
    directory.mkdir()
    for name, text in _with_phrase(shipped_files()).items():
        (directory / name).write_text(text, encoding="utf-8")
    assert cli_main(["content", "publish", str(directory), "--who", "dana", "--note", "x"]) == 0
    assert active_version(client) == 1
    assert read_dir(directory) == current_files(client)
    assert cli_main(["content", "history"]) == 0
    out = capsys.readouterr().out
    assert "dana" in out and "publish" in out and "indicators.yml changed" in out
    assert cli_main(["content", "rollback", "--who", "dana"]) == 0
    assert active_version(client) is None
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:1/0")
    assert cli_main(["content", "history"]) == 2
