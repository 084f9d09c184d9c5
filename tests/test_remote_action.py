"""The action server's answers are still validated, with a validator built once."""

from __future__ import annotations

import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction

import bot.rasa_components  # noqa: F401 - installs the cached validator
from bot.rasa_components.remote_action import response_validator


def test_the_cached_validator_accepts_what_rasa_accepts_and_refuses_the_rest() -> None:
    action = RemoteAction("action_greet", None)
    assert action._validate_action_result(
        {"events": [{"event": "slot", "name": "language", "value": "th"}],
         "responses": [{"text": "hi"}]}
    )
    with pytest.raises(ValidationError, match="Failed to validate Action server response"):
        action._validate_action_result({"events": "not a list", "responses": []})
    assert response_validator() is response_validator()  # built once
