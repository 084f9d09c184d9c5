"""Adding a channel: every place a platform channel must be known (CONTRIBUTING.md).

:data:`PLATFORMS` lists, per platform channel of :data:`bot.identity.CHANNELS`, the variables that
turn it on. A channel added to ``identity.CHANNELS`` fails here until it is in this table, its
variables are in :mod:`bot.settings` (and so in README's table), the stack enables it
(``channel_credentials``) and the broadcaster can send to it (``senders.senders_from_env``).
"""

from __future__ import annotations

from bot import settings
from bot.campaigns.senders import senders_from_env
from bot.channels import channel_credentials
from bot.identity import CHANNELS, REST, WEB

#: Platform channel -> the environment that enables it (test values).
PLATFORMS: dict[str, dict[str, str]] = {
    "telegram": {"TELEGRAM_BOT_TOKEN": "1:test", "TELEGRAM_WEBHOOK_SECRET": "test-secret"},
    "messenger": {
        "MESSENGER_PAGE_TOKEN": "page",
        "MESSENGER_APP_SECRET": "app",
        "MESSENGER_VERIFY_TOKEN": "verify",
    },
}


def test_every_platform_channel_is_in_the_checklist() -> None:
    assert set(PLATFORMS) == set(CHANNELS) - {WEB, REST}


def test_every_platform_channel_is_configured_enabled_and_reachable_by_campaigns() -> None:
    for channel, env in PLATFORMS.items():
        assert set(env) <= set(settings.SETTINGS), f"{channel}: add its variables to settings"
        enabled = channel_credentials(env)
        assert any(channel in section.lower() for section in enabled), f"{channel}: not enabled"
        assert channel in senders_from_env(1, env), f"{channel}: no campaign sender"
