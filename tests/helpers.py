"""Helpers shared by tests: a real rasa_sdk Tracker and CollectingDispatcher for actions, one
CLI run, the whole stack as processes, and distress.yml with one recogniser setting changed."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import threading
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest
from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

ROOT = Path(__file__).resolve().parent.parent


def make_tracker(
    text: str = "",
    intent: str = "greet",
    slots: dict[str, Any] | None = None,
    entities: list[dict[str, Any]] | None = None,
    metadata: dict[str, Any] | None = None,
    sender_id: str = "test-user",
    channel: str | None = None,
    ranking: list[dict[str, Any]] | None = None,
) -> Tracker:
    """A tracker whose latest message is ``text``; ``channel`` adds the user event that names it,
    ``ranking`` the intent ranking the NLU pipeline left (the safety router's override first)."""
    latest = {
        "text": text,
        "intent": {"name": intent, "confidence": 1.0},
        "entities": entities or [],
        "metadata": metadata or {},
        **({"intent_ranking": ranking} if ranking else {}),
    }
    user = {"event": "user", "text": text, "input_channel": channel, "parse_data": latest}
    return Tracker(
        sender_id=sender_id,
        slots={"language": None, "country": None, **(slots or {})},
        latest_message=latest,
        events=[user] if channel else [],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


def run_action(action: Action, tracker: Tracker) -> tuple[list[dict[str, Any]], list[Any]]:
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker, {}))
    return dispatcher.messages, events


def all_text(messages: list[dict[str, Any]]) -> str:
    return "\n".join(m.get("text") or "" for m in messages)


def all_buttons(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [b for m in messages for b in (m.get("buttons") or [])]


@dataclass
class RunningStack:
    process: subprocess.Popen[str]
    output: list[str]

    def stop(self) -> None:
        """Ctrl-C, as a user would; killed if it does not end within a minute."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()


def run_cli(args: list[str], stdin: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """``python -m bot <args>`` once with ``stdin``, as a user runs it from the checkout: UTF-8 in
    and out, output captured, the exit code left to the caller."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "RASA_TELEMETRY_ENABLED": "false"}
    return subprocess.run([sys.executable, "-m", "bot", *args], input=stdin, capture_output=True,
                          encoding="utf-8", cwd=ROOT, env=env, timeout=timeout, check=False)


def start_stack(args: list[str], env: dict[str, str], timeout: float = 300) -> RunningStack:
    """``python -m bot <args>`` until it says it is ready; fails the test with its output if not.

    A thread keeps draining the output so the stack never blocks on a full pipe.
    """
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    output: list[str] = []
    ready = threading.Event()

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            output.append(line)
            if "Press Ctrl-C" in line:
                ready.set()

    threading.Thread(target=read, daemon=True).start()
    if not ready.wait(timeout) or process.poll() is not None:
        process.kill()
        pytest.fail("stack did not start:\n" + "".join(output))
    return RunningStack(process, output)


class FixedOfferModel:
    """A stand-in offer model with a fixed probability and no evidence."""

    def __init__(self, probability: float) -> None:
        self.p = probability

    def probability(self, prepared: str) -> float:
        return self.p

    def evidence(self, prepared: str) -> tuple[int, int] | None:
        return None


class SureItIsNoCry:
    """A distress recogniser whose every stage says "not a cry" (tests a gate's mechanism)."""

    def probability(self, prepared: str) -> float:
        return 0.01

    def cry_probability(self, prepared: str) -> float:
        return 0.01

    def ad_cry_probability(self, prepared: str) -> float:
        return 0.01

    def emergency_probability(self, prepared: str) -> float:
        return 0.01


class StagesSay:
    """A distress recogniser whose first stage says ``first``, whose second says ``second`` and
    whose severity stage says ``emergency`` (the ad and ordinary stages: a cry, so they never
    veto)."""

    def __init__(self, first: float, second: float = 0.05, emergency: float = 0.0) -> None:
        self.first, self.second, self.emergency = first, second, emergency

    def probability(self, prepared: str) -> float:
        return self.first

    def cry_probability(self, prepared: str) -> float:
        return self.second

    def ad_cry_probability(self, prepared: str) -> float:
        return 0.9

    def ordinary_cry_probability(self, prepared: str) -> float:
        return 0.9

    def emergency_probability(self, prepared: str) -> float:
        return self.emergency


def assert_recogniser_setting_rejected(tmp_path: Path, line: str, field: str) -> None:
    """content/distress.yml with ``line`` in place of its recogniser setting of the same name is
    refused, and the error names the recogniser entry and ``field``."""
    from bot.content import ContentError
    from bot.engines.distress_content import load_distress

    text = (ROOT / "content" / "distress.yml").read_text(encoding="utf-8")
    name = line.split(":")[0]
    kept = [x for x in text.splitlines(keepends=True) if not x.startswith(name + ":")]
    at = kept.index("recogniser:\n") + 1
    (tmp_path / "distress.yml").write_text("".join(kept[:at] + [line] + kept[at:]),
                                           encoding="utf-8")
    with pytest.raises(ContentError) as err:
        load_distress(tmp_path)
    assert (err.value.entry, err.value.field) == ("recogniser", field)


def signal_severity(text: str) -> str:
    """The severity of ``text`` with the severity stage off (``emergency_above: 0``): what the
    emergency signals say. Everyday tests guard the patterns with it; the stage's own false
    emergencies on those texts are counted in tests/test_triage_severity.py."""
    from unittest import mock

    from bot.engines import distress_content, triage

    off = replace(distress_content.content(), emergency_above=0.0)
    with mock.patch.object(distress_content, "content", lambda: off):
        return triage.triage(text).severity


def cases_by_language(table: dict[str, list[str]]) -> list:
    """pytest params of a ``{language: [text, ...]}`` table, each id'd ``<language>-<index>``."""
    return [pytest.param(text, id=f"{lang}-{i}") for lang, texts in table.items()
            for i, text in enumerate(texts)]


def use_content(monkeypatch: pytest.MonkeyPatch, data: Any) -> None:
    """Every reader of the distress content (triage, the signal matchers, the code words) sees
    ``data`` for the rest of the test."""
    from bot.engines import distress_content

    monkeypatch.setattr(distress_content, "content", lambda: data)
