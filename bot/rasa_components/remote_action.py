"""The action server's answer is checked against its schema with a validator built once.

Rasa 3.6 calls ``jsonschema.validate`` on every answer of the action server, which first checks
the schema itself against the JSON Schema meta-schema: profiled under load, that took half of the
Rasa server's time per message (14 % of all its samples, the NLU models 3 %). The same check with
a validator compiled once gives the same result and the same error; installed when Rasa imports
this package (see ``__init__``), idempotent.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from jsonschema import validators
from jsonschema.exceptions import best_match
from jsonschema.protocols import Validator
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL


@lru_cache(maxsize=1)
def response_validator() -> Validator:
    """The validator of Rasa's action-server response schema (the schema checked once)."""
    schema = RemoteAction.action_response_format_spec()
    validator_class = validators.validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


def validate_action_result(action: RemoteAction, result: dict[str, Any]) -> bool:
    """Rasa's ``RemoteAction._validate_action_result`` with the cached validator."""
    error = best_match(response_validator().iter_errors(result))
    if error is None:
        return True
    error.message += (
        ". Failed to validate Action server response from API, make sure your response from "
        f"the Action endpoint is valid. For more information about the format visit "
        f"{DOCS_BASE_URL}/custom-actions"
    )
    raise error


def install() -> None:
    """Replace the per-call schema check in Rasa's remote action (idempotent)."""
    RemoteAction._validate_action_result = validate_action_result  # type: ignore[method-assign]
