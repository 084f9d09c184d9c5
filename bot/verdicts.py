"""What the safety router decided about a message, carried to the actions in its parse data.

The router (:mod:`bot.rasa_components.router`) runs the code word check, triage and the pasted-ad
check on every message; it attaches the results under :data:`KEY` so the distress action does not
run them again. The actions read them with :func:`from_parse_data`; when they are missing or do
not parse (a button payload, a tracker stored by an older version) the actions recompute them.
No Rasa import here: the action server uses it too.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from bot.engines.triage import Triage

#: The parse data field (``tracker.latest_message[KEY]``).
KEY = "safety"


@dataclass(frozen=True)
class Verdicts:
    """The router's checks of one message; ``None`` where a check did not run."""

    code_word: bool
    triage: Triage | None = None
    pasted_ad: bool | None = None


def to_parse_data(verdicts: Verdicts) -> dict[str, Any]:
    """A JSON-able dict (signal ids, severity, a country code: no message text)."""
    result = verdicts.triage
    return {
        "code_word": verdicts.code_word,
        "triage": dataclasses.asdict(result) if result is not None else None,
        "pasted_ad": verdicts.pasted_ad,
    }


def from_parse_data(parse_data: dict[str, Any] | None) -> Verdicts | None:
    """The verdicts attached to a message, or None when absent or not readable."""
    raw = (parse_data or {}).get(KEY)
    if not isinstance(raw, dict) or not isinstance(raw.get("code_word"), bool):
        return None
    try:
        result = Triage(**raw["triage"]) if isinstance(raw.get("triage"), dict) else None
    except TypeError:  # stored by a version whose Triage had other fields
        return None
    pasted = raw.get("pasted_ad")
    return Verdicts(raw["code_word"], result, pasted if isinstance(pasted, bool) else None)
