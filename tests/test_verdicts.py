"""The router's checks travel with the parsed message; the distress action reads them (#17)."""

from __future__ import annotations

import dataclasses
from unittest import mock

from rasa.shared.nlu.training_data.message import Message

from actions import help as help_actions
from actions.help import ActionDistress
from bot import verdicts
from bot.engines.redflags import reads_like_pasted_ad
from bot.engines.triage import triage
from bot.rasa_components.router import route
from tests.helpers import all_text, make_tracker, run_action

PLEA = "help me i am in myawaddy they took my passport and beat us"


def parsed(text: str, intent: str = "greet") -> Message:
    ranking = [{"name": intent, "confidence": 0.8}, {"name": "ask_faq", "confidence": 0.1}]
    return Message(data={"text": text, "intent": ranking[0], "intent_ranking": ranking})


def test_router_attaches_triage_and_the_pasted_ad_verdict_to_the_output() -> None:
    message = parsed(PLEA)
    route(message)
    output = message.as_dict(only_output_properties=True)
    attached = verdicts.from_parse_data(output)  # what reaches tracker.latest_message
    assert attached is not None and attached.code_word is False
    assert attached.triage == triage(PLEA)
    assert attached.pasted_ad == reads_like_pasted_ad(PLEA)
    assert PLEA not in str(output[verdicts.KEY]), "ids and codes only, never the text"


def test_payloads_get_no_verdicts_and_broken_ones_are_ignored() -> None:
    message = parsed('/need_help{"country": "TH"}', "need_help")
    route(message)
    assert message.get(verdicts.KEY) is None
    broken = {verdicts.KEY: {"code_word": False, "triage": {"x": 1}}}  # an older Triage
    assert verdicts.from_parse_data(broken) is None
    assert verdicts.from_parse_data({}) is None


def test_distress_action_reads_the_attachment_instead_of_recomputing() -> None:
    message = parsed(PLEA, "distress")
    route(message)
    tracker = make_tracker(PLEA, intent="distress")
    tracker.latest_message[verdicts.KEY] = message.get(verdicts.KEY)
    with mock.patch.object(help_actions, "triage", side_effect=AssertionError("recomputed")):
        attached, _ = run_action(ActionDistress(), tracker)
    recomputed, _ = run_action(ActionDistress(), make_tracker(PLEA, intent="distress"))
    assert all_text(attached) == all_text(recomputed)


def test_the_action_trusts_what_the_router_found() -> None:
    """The attachment decides (e.g. the country), so both sides use one decision."""
    message = parsed(PLEA, "distress")
    route(message)
    data = message.get(verdicts.KEY)
    data["triage"] = dataclasses.asdict(dataclasses.replace(triage(PLEA), country=None))
    tracker = make_tracker(PLEA, intent="distress")
    tracker.latest_message[verdicts.KEY] = data
    without_country, _ = run_action(ActionDistress(), tracker)
    with_country, _ = run_action(ActionDistress(), make_tracker(PLEA, intent="distress"))
    assert all_text(without_country) != all_text(with_country)
