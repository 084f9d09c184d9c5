"""Input channels (Telegram, Messenger) as Rasa custom channels.

:func:`channel_credentials` tells the stack runner which channels to enable: a channel is on
whenever its environment variables are set. The secrets themselves are never written to Rasa's
credentials file: each channel reads them from the environment when Rasa starts it.

This module stays light (no Rasa import): the stack runner and the CLI import it.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Mapping
from typing import Any

logger = logging.getLogger(__name__)

TELEGRAM_CHANNEL = "bot.channels.telegram.channel.TelegramInput"
MESSENGER_CHANNEL = "bot.channels.messenger.channel.MessengerInput"

TELEGRAM_DEFAULT_API = "https://api.telegram.org/bot"
MESSENGER_DEFAULT_GRAPH = "https://graph.facebook.com/v19.0"
#: The update kinds the Telegram channel handles (setWebhook and getUpdates ask for these).
TELEGRAM_ALLOWED_UPDATES = ("message", "edited_message", "callback_query", "my_chat_member")
#: Telegram accepts 1-256 characters A-Z, a-z, 0-9, _ and - as a webhook secret token.
TELEGRAM_SECRET_CHARS = frozenset(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"
)

MESSENGER_VARIABLES = ("MESSENGER_PAGE_TOKEN", "MESSENGER_APP_SECRET", "MESSENGER_VERIFY_TOKEN")


def _set(env: Mapping[str, str], name: str) -> bool:
    return bool((env.get(name) or "").strip())


def _warn(message: str) -> None:
    """Shown to whoever starts the stack (stderr), and logged."""
    print(f"warning: {message}", file=sys.stderr, flush=True)
    logger.warning(message)


def telegram_secret_problem(secret: str) -> str | None:
    """Why Telegram would refuse ``secret`` as a webhook secret token, or None."""
    if not 1 <= len(secret) <= 256:
        return "must be 1-256 characters long"
    if not set(secret) <= TELEGRAM_SECRET_CHARS:
        return "may only contain A-Z, a-z, 0-9, _ and -"
    return None


def channel_credentials(env: Mapping[str, str]) -> dict[str, Any]:
    """Sections for Rasa's credentials file, one per channel configured in ``env``.

    Telegram is enabled by TELEGRAM_BOT_TOKEN plus TELEGRAM_WEBHOOK_SECRET (never without a
    secret: anyone could post fake updates); Messenger by its three variables. The sections
    carry only non-secret settings.
    """
    sections: dict[str, Any] = {}
    if _set(env, "TELEGRAM_BOT_TOKEN"):
        secret = (env.get("TELEGRAM_WEBHOOK_SECRET") or "").strip()
        problem = telegram_secret_problem(secret) if secret else "is not set"
        if problem:
            _warn(
                f"Telegram is NOT enabled: TELEGRAM_WEBHOOK_SECRET {problem}. The webhook "
                "refuses to run without a secret (anyone could post fake updates)."
            )
        else:
            sections[TELEGRAM_CHANNEL] = {
                "api_base_url": env.get("TELEGRAM_API_BASE_URL") or TELEGRAM_DEFAULT_API
            }
    elif _set(env, "TELEGRAM_WEBHOOK_SECRET"):
        _warn("Telegram is NOT enabled: TELEGRAM_BOT_TOKEN is not set.")

    present = [name for name in MESSENGER_VARIABLES if _set(env, name)]
    if len(present) == len(MESSENGER_VARIABLES):
        sections[MESSENGER_CHANNEL] = {
            "graph_url": env.get("MESSENGER_GRAPH_URL") or MESSENGER_DEFAULT_GRAPH
        }
    elif present:
        missing = ", ".join(name for name in MESSENGER_VARIABLES if name not in present)
        _warn(f"Messenger is NOT enabled: {missing} not set.")
    return sections
