"""deploy/: the Compose file, the Dockerfile, HAProxy's config and the Helm chart, checked here.

They cannot run on this machine (no Docker, no Kubernetes). What is checked: every file parses
(YAML; the chart's templates rendered by tests/helm_render.py, a strict subset of Helm); each
service of our image starts a process with ``python -m bot <process>`` that exists; every
environment variable given to our processes is read by the code and listed in the README's
configuration table; every port and health path matches the code's defaults
(bot/processes.py); every other image is named in the README.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.cli import build_parser
from bot.processes import DEFAULT_PORTS, HEALTH_PATHS, PORT_VARIABLES
from tests.helm_render import TemplateError, render_chart
from tests.test_processes import PROCESSES

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
CHART = DEPLOY / "helm" / "safe-jobs"
README = (ROOT / "README.md").read_text(encoding="utf-8")


def code_variables() -> set[str]:
    """Upper-case names with an underscore quoted in the code, and endpoints.yml's ${VARS}."""
    names: set[str] = set()
    for path in [*ROOT.glob("bot/**/*.py"), *ROOT.glob("actions/**/*.py")]:
        names |= set(re.findall(r"[\"']([A-Z][A-Z0-9]*_[A-Z0-9_]+)[\"']", path.read_text()))
    names |= set(re.findall(r"\$\{([A-Z0-9_]+)\}", (ROOT / "endpoints.yml").read_text()))
    return names


def readme_table_variables() -> set[str]:
    section = README.split("\n## Configuration", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    return {name for row in rows for name in re.findall(r"`([A-Z][A-Z0-9_]+)`", row)}


def subcommands() -> set[str]:
    parser = build_parser()
    action = next(a for a in parser._actions if a.dest == "command")  # noqa: SLF001
    return set(action.choices)


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return yaml.safe_load((DEPLOY / "compose.yml").read_text())


def our_services(compose: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Services that run the image of deploy/Dockerfile, by the process they start."""
    found = {}
    for name, service in compose["services"].items():
        if (service.get("build") or {}).get("dockerfile") == "deploy/Dockerfile":
            command = service["command"]
            assert command[:3] == ["python", "-m", "bot"] and len(command) == 4, name
            found[command[3]] = service
    return found


@pytest.fixture(scope="module")
def manifests() -> list[dict[str, Any]]:
    values = yaml.safe_load((CHART / "values.yaml").read_text())
    values["secrets"].update(restChannelSecret="r" * 32, webchatCookieSecret="w" * 32)
    for process in values["processes"].values():
        process["enabled"] = True
    return render_chart(CHART, values)


def deployments(manifests: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Each Deployment's container, by the process it starts."""
    found = {}
    for doc in manifests:
        if doc["kind"] == "Deployment":
            (container,) = doc["spec"]["template"]["spec"]["containers"]
            command = container["command"]
            assert command[:3] == ["python", "-m", "bot"] and len(command) == 4
            found[command[3]] = container
    return found


# -- Compose ----------------------------------------------------------------------------------


def test_compose_runs_every_process_with_an_existing_sub_command(compose) -> None:
    services = our_services(compose)
    assert set(services) == set(PROCESSES)
    assert set(services) <= subcommands()
    assert (ROOT / "deploy" / "Dockerfile").exists()
    for process, service in services.items():
        assert service.get("healthcheck", {}).get("test"), f"{process} has no health check"
    assert compose["services"]["rasa"]["deploy"]["replicas"] >= 2
    assert compose["services"]["actions"]["deploy"]["replicas"] >= 2


def test_compose_environment_is_read_by_the_code_and_in_the_readme(compose) -> None:
    used = {key for s in our_services(compose).values() for key in s["environment"]}
    assert used - code_variables() == set(), "not read by the code"
    assert used - readme_table_variables() == set(), "not in README's configuration table"


def test_compose_interpolated_variables_are_documented(compose) -> None:
    text = (DEPLOY / "compose.yml").read_text()
    interpolated = set(re.findall(r"\$\{([A-Z0-9_]+)[:}]", text))
    missing = {v for v in interpolated if f"`{v}`" not in README}
    assert missing == set(), "compose variables not named in the README"


def test_compose_ports_and_health_paths_match_the_code(compose) -> None:
    for process, service in our_services(compose).items():
        if process not in DEFAULT_PORTS:
            continue
        port = DEFAULT_PORTS[process]
        env = service["environment"]
        assert env.get(PORT_VARIABLES[process], str(port)) == str(port), process
        probe = " ".join(service["healthcheck"]["test"])
        assert f"127.0.0.1:{port}{HEALTH_PATHS[process]}'" in probe, process
        for published in service.get("ports", []):
            assert published.rsplit(":", 1)[1] == str(port), process
    rasa_env = our_services(compose)["rasa"]["environment"]
    assert rasa_env["ACTION_ENDPOINT_URL"].endswith(f":{DEFAULT_PORTS['actions']}/webhook")
    webchat_env = our_services(compose)["webchat"]["environment"]
    assert webchat_env["RASA_URL"].endswith(f":{DEFAULT_PORTS['rasa']}")


def test_haproxy_config_balances_every_replica_on_the_code_ports() -> None:
    config = (DEPLOY / "haproxy.cfg").read_text()
    for process in ("rasa", "actions"):
        assert f" {process}:{DEFAULT_PORTS[process]} check" in config
        assert f"httpchk GET {HEALTH_PATHS[process]}\n" in config
    settings = "\n".join(line for line in config.splitlines() if not line.lstrip().startswith("#"))
    assert "cookie" not in settings and "stick" not in settings  # no stickiness needed


def test_other_images_are_named_in_the_readme(compose) -> None:
    ours = our_services(compose).values()
    images = {s["image"] for s in compose["services"].values() if s not in ours}
    assert images and all(f"`{image}`" in README for image in images), images


def test_dockerfile_builds_the_python_and_model_the_code_needs() -> None:
    dockerfile = (DEPLOY / "Dockerfile").read_text()
    assert re.search(r"^FROM python:3\.10-", dockerfile, re.M)  # Rasa 3.6: Python <= 3.10
    assert "pip install --no-cache-dir -r requirements.lock" in dockerfile
    assert "pybabel compile -d locales -D messages" in dockerfile
    assert "rasa train --data nlu stories --fixed-model-name safe-jobs --out models" in dockerfile


# -- Helm -------------------------------------------------------------------------------------


def test_chart_renders_a_deployment_per_process_with_existing_sub_commands(manifests) -> None:
    containers = deployments(manifests)
    assert set(containers) == set(PROCESSES) and set(containers) <= subcommands()
    kinds = sorted(d["kind"] for d in manifests)
    assert kinds.count("Service") == len(DEFAULT_PORTS)


def test_chart_ports_and_probes_match_the_code(manifests) -> None:
    for process, container in deployments(manifests).items():
        if process not in DEFAULT_PORTS:
            assert "ports" not in container and "livenessProbe" not in container
            continue
        assert container["ports"][0]["containerPort"] == DEFAULT_PORTS[process]
        for probe in ("startupProbe", "livenessProbe", "readinessProbe"):
            assert container[probe]["httpGet"]["path"] == HEALTH_PATHS[process], process
        env = {e["name"]: e.get("value") for e in container["env"]}
        assert env[PORT_VARIABLES[process]] == str(DEFAULT_PORTS[process])
    services = {d["metadata"]["name"]: d for d in manifests if d["kind"] == "Service"}
    for process, port in DEFAULT_PORTS.items():
        service = services[f"safe-jobs-{process}"]
        assert service["spec"]["ports"][0]["port"] == port
        assert service["spec"]["sessionAffinity"] == "None"
    rasa_env = {e["name"]: e.get("value") for e in deployments(manifests)["rasa"]["env"]}
    assert rasa_env["ACTION_ENDPOINT_URL"] == "http://safe-jobs-actions:5055/webhook"


def test_chart_environment_is_read_by_the_code_and_in_the_readme(manifests) -> None:
    used = {e["name"] for c in deployments(manifests).values() for e in c["env"]}
    for doc in manifests:
        if doc["kind"] == "Secret":
            used |= set(doc["stringData"])
    assert used - code_variables() == set(), "not read by the code"
    assert used - readme_table_variables() == set(), "not in README's configuration table"


def test_chart_refuses_to_render_without_its_secrets() -> None:
    values = yaml.safe_load((CHART / "values.yaml").read_text())
    with pytest.raises(TemplateError, match="restChannelSecret is required"):
        render_chart(CHART, values)


def test_chart_files_parse() -> None:
    chart = yaml.safe_load((CHART / "Chart.yaml").read_text())
    assert chart["apiVersion"] == "v2" and chart["name"] == "safe-jobs"
    rasa_pin = re.search(r"^rasa==([\d.]+)$", (ROOT / "requirements.lock").read_text(), re.M)
    assert rasa_pin and chart["appVersion"] == rasa_pin.group(1)


def test_a_tls_redis_url_is_refused_not_silently_downgraded() -> None:
    """rediss:// would otherwise connect without TLS: the start stops with a clear line."""
    import pytest

    from bot.redis_server import StartupError, target_from_url

    with pytest.raises(StartupError, match="TLS"):
        target_from_url("rediss://:secret@redis.example:6380/0")
    assert target_from_url("redis://:secret@redis.example:6380/2").db == 2
