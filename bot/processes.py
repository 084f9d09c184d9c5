"""How each process of the assistant is started: one place for the local stack and for scale-out.

``python -m bot run`` starts them all under a supervisor (:mod:`bot.stack`); a deployment
(deploy/compose.yml, the Helm chart) starts one per container with ``python -m bot <process>``
(:mod:`bot.commands.processes`). Both build the command lines and environment here, so a
process runs the same way in both. Defaults are loopback addresses and the ports of the README;
a container sets ``BOT_BIND_HOST=0.0.0.0`` and the URLs of the other services.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path

from bot.redis_server import RedisTarget

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PORTS = {"rasa": 5005, "actions": 5055, "webchat": 8080, "admin": 8081, "gateway": 5006}
PORT_VARIABLES = {
    "rasa": "RASA_PORT", "actions": "ACTION_SERVER_PORT", "webchat": "WEBCHAT_PORT",
    "admin": "ADMIN_PORT", "gateway": "GATEWAY_PORT",
}  # fmt: skip
#: Where each HTTP process answers a health check (a load balancer or a probe asks it).
HEALTH_PATHS = {"rasa": "/", "actions": "/health", "webchat": "/", "admin": "/healthz",
                "gateway": "/"}  # fmt: skip
#: Rasa's input for the channel gateway, which serves the Telegram and Messenger webhooks.
RELAY_CHANNEL = "bot.channels.relay.RelayInput"
DEFAULT_RECORD_EXP = str(30 * 24 * 3600)  # conversations expire after 30 days by default
#: Sanic refuses a bigger body before reading it (webhook bodies are a few KB).
REQUEST_MAX_BYTES = str(1_000_000)


def port(process: str, env: Mapping[str, str] | None = None) -> int:
    """The port of ``process`` from its variable, else the README's default."""
    env = os.environ if env is None else env
    return int(env.get(PORT_VARIABLES[process]) or DEFAULT_PORTS[process])


def models_dir(env: Mapping[str, str] | None = None) -> Path:
    env = os.environ if env is None else env
    return Path(env.get("BOT_MODELS_DIR") or ROOT / "models")


def rasa_argv(models: Path, credentials: Path, rasa_port: int, host: str) -> list[str]:
    """Rasa's server with this repo's endpoints (Redis trackers and locks) and channels."""
    return [
        sys.executable, "-m", "rasa", "run", "--model", str(models),
        "--endpoints", str(ROOT / "endpoints.yml"), "--credentials", str(credentials),
        "--port", str(rasa_port), "--interface", host,
    ]  # fmt: skip


def actions_argv(actions_port: int) -> list[str]:
    """The Rasa SDK action server; it binds to ``SANIC_HOST`` (set by the caller)."""
    return [sys.executable, "-m", "rasa_sdk", "--actions", "actions", "--port", str(actions_port)]


def gateway_argv(gateway_port: int, host: str) -> list[str]:
    """The channel gateway: the platform webhooks, answering even while Rasa is down."""
    return [sys.executable, "-m", "bot", "gateway", "--host", host, "--port", str(gateway_port)]


def rasa_environment(
    env: Mapping[str, str], redis_target: RedisTarget, action_url: str, rest_secret: str
) -> dict[str, str]:
    """What Rasa and the action server read: endpoints.yml's variables, limits, the path."""
    result = dict(env)
    result.update(redis_target.environment())
    result.setdefault("TRACKER_RECORD_EXP", DEFAULT_RECORD_EXP)
    result["ACTION_ENDPOINT_URL"] = action_url
    result["RASA_TELEMETRY_ENABLED"] = "false"
    result["SANIC_REQUEST_MAX_SIZE"] = REQUEST_MAX_BYTES
    result["REST_CHANNEL_SECRET"] = rest_secret
    result["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    result.pop("REDIS_URL", None)  # children get the resolved host/port instead
    return result


def credentials_text(env: Mapping[str, str]) -> str:
    """credentials.yml plus the relay input of the channel gateway (the platform channels run
    in the gateway, ``python -m bot gateway``, so their webhooks answer while Rasa is down)."""
    import yaml

    with open(ROOT / "credentials.yml", encoding="utf-8") as handle:
        credentials = yaml.safe_load(handle) or {}
    credentials[RELAY_CHANNEL] = {}
    return yaml.safe_dump(credentials)
