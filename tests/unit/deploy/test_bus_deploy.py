"""Kubernetes and compose run NATS with the role table's identities (from Secrets, nothing
committed) and Redis with a password; namespaces labelled as consumers reach NATS."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import yaml

from pq_launcher.bus_auth.deploy_config import password_variable, render_deploy_authorization
from pq_runtime.bus_access import SERVICE_ROLES
from tests.unit.deploy.conftest import BuiltOverlay
from tests.unit.deploy.k8s_model import env_value, workloads

REPO = Path(__file__).resolve().parents[3]
GENERATED = ("deploy/compose/nats-auth.conf", "deploy/k8s/base/nats/auth.conf")
ROLES = {role.name for role in SERVICE_ROLES}


def _script(path: str) -> ModuleType:
    name = Path(path).stem
    spec = importlib.util.spec_from_file_location(name, REPO / path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def _secret_ref(container: dict[str, Any], name: str) -> dict[str, str] | None:
    for var in container.get("env", []):
        if var["name"] == name:
            ref: dict[str, str] | None = var.get("valueFrom", {}).get("secretKeyRef")
            return ref
    return None


def test_the_committed_auth_files_are_the_generated_ones() -> None:
    for path in GENERATED:
        assert (REPO / path).read_text() == render_deploy_authorization(), (
            f"{path} drifted: python -m pq_launcher.bus_auth.deploy_config > {path}"
        )


def test_the_secret_scripts_create_every_services_identity() -> None:
    assert set(_script("deploy/k8s/make_secrets.py").NATS_ROLES) == ROLES
    assert set(_script("deploy/compose/make_env.py").NATS_ROLES) == ROLES


def test_compose_runs_nats_and_redis_with_the_identities() -> None:
    services = yaml.safe_load((REPO / "compose.yaml").read_text())["services"]
    for role in ROLES:
        env = services[role]["environment"]
        assert env["PQ_NATS_USER"] == role
        assert env["PQ_NATS_PASSWORD"].startswith("${" + password_variable(role) + ":?")
        assert env["PQ_REDIS_PASSWORD"].startswith("${PQ_REDIS_PASSWORD:?")
    nats = services["nats"]
    assert set(nats["environment"]) == {password_variable(r) for r in ROLES}
    assert "./deploy/compose/nats-auth.conf:/etc/nats/auth.conf:ro" in nats["volumes"]
    assert "include auth.conf" in (REPO / "deploy/compose/nats.conf").read_text()
    redis = services["redis"]["command"]
    assert redis[redis.index("--requirepass") + 1].startswith("${PQ_REDIS_PASSWORD:?")


def test_each_service_connects_as_its_own_identity(overlay: BuiltOverlay) -> None:
    seen = set()
    for workload in workloads(overlay.objects):
        container = workload["spec"]["template"]["spec"]["containers"][0]
        user = env_value(container, "PQ_NATS_USER")
        if user is None:
            continue
        assert user == workload["metadata"]["name"]
        ref = _secret_ref(container, "PQ_NATS_PASSWORD")
        assert ref is not None
        assert ref["name"].startswith("pq-nats-identities")
        assert ref["key"] == password_variable(user)
        redis = _secret_ref(container, "PQ_REDIS_PASSWORD")
        assert redis is not None
        assert redis["key"] == "redis-password"
        seen.add(user)
    assert seen == ROLES


def test_nats_reads_every_identity_from_the_secret(overlay: BuiltOverlay) -> None:
    (nats,) = [w for w in workloads(overlay.objects) if w["metadata"]["name"] == "nats"]
    container = nats["spec"]["template"]["spec"]["containers"][0]
    refs = [e["secretRef"]["name"] for e in container.get("envFrom", []) if "secretRef" in e]
    assert any(r.startswith("pq-nats-identities") for r in refs)
    (config,) = [
        c for c in overlay.of_kind("ConfigMap") if c["metadata"]["name"].startswith("nats-config")
    ]
    assert "include auth.conf" in config["data"]["nats.conf"]
    assert config["data"]["auth.conf"] == render_deploy_authorization()
    secret_env = overlay.secret_files["nats-identities.env"]
    assert {line.split("=")[0] for line in secret_env.split()} == {
        password_variable(r) for r in ROLES
    }


def test_redis_requires_its_password(overlay: BuiltOverlay) -> None:
    (redis,) = [w for w in workloads(overlay.objects) if w["metadata"]["name"] == "redis"]
    container = redis["spec"]["template"]["spec"]["containers"][0]
    assert "--requirepass" in container["args"]
    assert _secret_ref(container, "REDISCLI_AUTH") == {
        "name": _secret_name(overlay),
        "key": "redis-password",
    }


def _secret_name(overlay: BuiltOverlay) -> str:
    (secret,) = [
        s for s in overlay.of_kind("Secret") if s["metadata"]["name"].startswith("pq-secrets")
    ]
    name: str = secret["metadata"]["name"]
    return name


def test_labelled_namespaces_reach_only_the_nats_client_port(overlay: BuiltOverlay) -> None:
    policy = overlay.get("NetworkPolicy", "nats-consumers")
    (rule,) = policy["spec"]["ingress"]
    assert rule["from"] == [
        {"namespaceSelector": {"matchLabels": {"pocketquant.io/consumer": "true"}}}
    ]
    assert rule["ports"] == [{"protocol": "TCP", "port": 4222}]
    assert policy["spec"]["podSelector"] == {"matchLabels": {"app.kubernetes.io/name": "nats"}}


def test_prod_runs_nats_and_redis_with_tls_from_cert_manager(
    built_overlays: dict[str, BuiltOverlay],
) -> None:
    prod = built_overlays["prod"]
    certificates = {c["metadata"]["name"]: c["spec"] for c in prod.of_kind("Certificate")}
    assert "nats" in certificates["nats-tls"]["dnsNames"]
    assert "redis" in certificates["redis-tls"]["dnsNames"]
    (config,) = [
        c for c in prod.of_kind("ConfigMap") if c["metadata"]["name"].startswith("nats-config")
    ]
    assert 'cert_file: "/etc/nats-tls/tls.crt"' in config["data"]["nats.conf"]
    assert "include auth.conf" in config["data"]["nats.conf"]
    (pq_config,) = [
        c for c in prod.of_kind("ConfigMap") if c["metadata"]["name"].startswith("pq-config")
    ]
    assert pq_config["data"]["PQ_NATS_CA_FILE"] == "/etc/pq-ca/ca.crt"
    assert pq_config["data"]["PQ_REDIS_URL"].startswith("rediss://")
    for workload in workloads(prod.objects):
        container = workload["spec"]["template"]["spec"]["containers"][0]
        if env_value(container, "PQ_NATS_USER") is None:
            continue
        mounts = {m["mountPath"] for m in container["volumeMounts"]}
        assert "/etc/pq-ca" in mounts, workload["metadata"]["name"]
    (redis,) = [w for w in workloads(prod.objects) if w["metadata"]["name"] == "redis"]
    args = redis["spec"]["template"]["spec"]["containers"][0]["args"]
    assert args[args.index("--tls-port") + 1] == "6379"
    assert args[args.index("--port") + 1] == "0"


def test_compose_runs_nats_and_redis_with_tls_from_its_own_ca() -> None:
    services = yaml.safe_load((REPO / "compose.yaml").read_text())["services"]
    assert 'cert_file: "/certs/nats.crt"' in (REPO / "deploy/compose/nats.conf").read_text()
    redis = services["redis"]["command"]
    assert redis[redis.index("--tls-port") + 1] == "6379"
    assert redis[redis.index("--port") + 1] == "0"
    done = {"condition": "service_completed_successfully"}
    for name in ("nats", "redis", *ROLES):
        assert services[name]["depends_on"]["bus-certs"] == done, name
        assert "bus-certs:/certs:ro" in services[name]["volumes"], name
    for role in ROLES:
        env = services[role]["environment"]
        assert env["PQ_NATS_CA_FILE"] == env["PQ_REDIS_CA_FILE"] == "/certs/ca.crt"
        assert env["PQ_REDIS_URL"].startswith("rediss://")
    script = (REPO / "deploy/compose/make-certs.sh").read_text()
    assert "rm -f ca.key" in script  # nothing can sign more certificates afterwards
