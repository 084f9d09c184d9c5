"""Start the content watcher and load every engine's content (and the two learned models).

Without this the first message a process handles pays for reading the content files and
loading the recogniser and the offer model (about a second each; fitting one whose examples
changed takes a few seconds): the first cry for help after a restart would wait.
"""

from __future__ import annotations

import logging

log = logging.getLogger(__name__)


def warm_up_engines() -> None:
    """Follow published content (the watcher), then run each engine once on a harmless text.

    A failure is logged, never raised. Serving processes (Rasa, the action server) call this.
    """
    try:
        from bot.content.watcher import ensure_watcher

        ensure_watcher()  # first, so the engines load the published version, not the shipped one
        from bot.engines.faq import match_topic
        from bot.engines.hotlines import hotlines_for
        from bot.engines.redflags import check_offer, reads_like_pasted_ad
        from bot.engines.text import to_simplified
        from bot.engines.triage import triage

        to_simplified("暖")  # builds the traditional->simplified table (~70 ms) before any message
        triage("warm up")
        reads_like_pasted_ad("warm up")
        check_offer("warm up", "en")
        match_topic("warm up", "en")
        hotlines_for(None, None, emergency=False, language="en")
    except Exception:  # noqa: BLE001 - the engines load again on first use and say why there
        log.warning("warming up the engines failed", exc_info=True)
