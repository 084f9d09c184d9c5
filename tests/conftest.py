"""Shared fixtures. Engines are tested without Rasa; slow tests start real servers."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")


@pytest.fixture
def repo_root() -> Path:
    return ROOT
