"""The kustomize overlays build, validate against the Kubernetes schemas offline, and
hold the properties operations rely on (probes, limits, non-root, partitioning, R3)."""

from __future__ import annotations

import copy
import re
import shutil
import tempfile
from pathlib import Path

import kubernetes_validate
import pytest

from tests.unit.deploy.conftest import OVERLAYS, BuiltOverlay, kustomize_build
from tests.unit.deploy.k8s_model import (
    SERVICES,
    all_containers,
    env_value,
    label,
    pod_labels,
    pod_spec,
    selector_matches,
    workloads,
)

# The kubectl on the CI machine image is v1.32: validate against its API.
K8S_VERSION = "1.32"
PORTS = {
    "gateway": 8080,
    "query": 18091,
    "ingest-history": 18092,
    "ingest-stream": 18093,
    "bar-builder": 18094,
}


def test_every_object_validates_against_the_kubernetes_schemas(overlay: BuiltOverlay) -> None:
    failures = []
    for obj in overlay.objects:
        if obj["apiVersion"].startswith("cert-manager.io/"):
            continue  # a CRD, not in the Kubernetes schemas: test_bus_deploy.py checks them
        try:
            kubernetes_validate.validate(obj, K8S_VERSION, strict=True)
        except kubernetes_validate.ValidationError as exc:
            failures.append(f"{label(obj)}: {exc.message}")
    assert not failures, "\n".join(failures)


def test_the_schema_validation_rejects_a_broken_object(overlay: BuiltOverlay) -> None:
    """Guards the test above against a validator that accepts anything."""
    broken = copy.deepcopy(overlay.get("Deployment", "gateway"))
    pod_spec(broken)["containers"][0]["readinessProbe"]["httpGet"]["prot"] = "http"
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(broken, K8S_VERSION, strict=True)


def test_a_missing_secret_file_fails_the_build(kubectl: str, k8s_copy: Path) -> None:
    """Secrets come from files made outside git; without them there is no build."""
    # built_overlays makes secrets/ folders inside k8s_copy: copy again without them.
    with tempfile.TemporaryDirectory() as tmp:
        copy_dir = Path(tmp) / "k8s"
        shutil.copytree(k8s_copy, copy_dir, ignore=shutil.ignore_patterns("secrets"))
        result = kustomize_build(kubectl, copy_dir / "overlays" / "dev")
    assert result.returncode != 0
    assert "secrets" in result.stderr


def test_all_objects_land_in_one_namespace(overlay: BuiltOverlay) -> None:
    expected = {"dev": "pocketquant-dev", "prod": "pocketquant"}[overlay.name]
    namespaces = overlay.of_kind("Namespace")
    assert [n["metadata"]["name"] for n in namespaces] == [expected]
    assert namespaces[0]["metadata"]["labels"]["pod-security.kubernetes.io/enforce"] == "restricted"
    for obj in overlay.objects:
        if obj["kind"] != "Namespace":
            assert obj["metadata"].get("namespace") == expected, label(obj)


def test_each_service_runs_as_its_documented_workload_kind(overlay: BuiltOverlay) -> None:
    for name in ("gateway", "query", "ingest-history"):
        overlay.get("Deployment", name)
    # Partitioned services need stable ordinals.
    for name in ("ingest-stream", "bar-builder"):
        overlay.get("StatefulSet", name)


@pytest.mark.parametrize("service", SERVICES)
def test_service_containers_have_probes_ports_and_environment(
    overlay: BuiltOverlay, service: str
) -> None:
    kind = "StatefulSet" if service in ("ingest-stream", "bar-builder") else "Deployment"
    (container,) = pod_spec(overlay.get(kind, service))["containers"]
    assert container["ports"] == [{"name": "http", "containerPort": PORTS[service]}]
    assert env_value(container, "PQ_HTTP_PORT") == str(PORTS[service])
    assert env_value(container, "OTEL_SERVICE_NAME") == f"pq-{service}"
    assert container["readinessProbe"]["httpGet"] == {"path": "/health", "port": "http"}
    # Liveness must not follow dependencies: /health is 503 while NATS is down.
    assert container["livenessProbe"]["httpGet"]["path"] != "/health"
    assert container["livenessProbe"]["httpGet"]["port"] == "http"
    config = {ref["configMapRef"]["name"] for ref in container["envFrom"] if "configMapRef" in ref}
    assert any(name.startswith("pq-config-") for name in config)
    # Each service owns its database: a shared one would let every relay publish
    # the other services' outbox rows.
    database = "pq_" + service.replace("-", "_")
    assert f"/{database}?" in str(env_value(container, "PQ_STORE_URL"))


def test_every_container_has_requests_limits_and_a_restricted_security_context(
    overlay: BuiltOverlay,
) -> None:
    for workload in workloads(overlay.objects):
        spec = pod_spec(workload)
        assert spec["securityContext"]["runAsNonRoot"] is True, label(workload)
        assert spec["securityContext"]["seccompProfile"] == {"type": "RuntimeDefault"}
        assert spec["securityContext"].get("runAsUser", 0) != 0, label(workload)
        assert spec.get("automountServiceAccountToken") is False, label(workload)
        for container in all_containers(workload):
            where = f"{label(workload)} {container['name']}"
            for part in ("requests", "limits"):
                assert set(container["resources"][part]) == {"cpu", "memory"}, where
            context = container["securityContext"]
            assert context["allowPrivilegeEscalation"] is False, where
            assert context["readOnlyRootFilesystem"] is True, where
            assert context["capabilities"] == {"drop": ["ALL"]}, where


def test_every_long_running_container_has_readiness_and_liveness_probes(
    overlay: BuiltOverlay,
) -> None:
    for workload in workloads(overlay.objects):
        if workload["kind"] == "Job":
            continue
        for container in pod_spec(workload)["containers"]:
            assert "readinessProbe" in container, label(workload)
            assert "livenessProbe" in container, label(workload)


def test_images_are_tagged_and_never_latest(overlay: BuiltOverlay) -> None:
    for workload in workloads(overlay.objects):
        for container in all_containers(workload):
            image = container["image"]
            name, _, tag = image.rpartition(":")
            assert name, f"{label(workload)}: {image} has no tag"
            assert "/" not in tag, f"{label(workload)}: {image} has no tag"
            assert tag != "latest", f"{label(workload)}: {image}"


def test_env_references_point_at_earlier_variables(overlay: BuiltOverlay) -> None:
    """$(VAR) only expands when VAR comes from envFrom or an earlier env entry;
    a strategic-merge patch that reorders env would silently break the store URL."""
    configs = {c["metadata"]["name"]: c.get("data", {}) for c in overlay.of_kind("ConfigMap")}
    configs |= {s["metadata"]["name"]: s.get("data", {}) for s in overlay.of_kind("Secret")}
    for workload in workloads(overlay.objects):
        for container in all_containers(workload):
            known = set()
            for source in container.get("envFrom", []):
                ref = source.get("configMapRef") or source["secretRef"]
                if ref["name"] in configs or not ref.get("optional"):
                    known |= set(configs[ref["name"]])
            for var in container.get("env", []):
                for ref in re.findall(r"\$\((\w+)\)", var.get("value", "")):
                    assert ref in known, f"{label(workload)}: {var['name']} uses $({ref})"
                known.add(var["name"])
            argv = " ".join([*container.get("command", []), *container.get("args", [])])
            for ref in re.findall(r"\$\((\w+)\)", argv):
                assert ref in known, f"{label(workload)}: command uses $({ref})"


def test_config_maps_and_secrets_referenced_by_pods_exist(overlay: BuiltOverlay) -> None:
    config_maps = {c["metadata"]["name"] for c in overlay.of_kind("ConfigMap")}
    secrets = {s["metadata"]["name"]: s.get("data", {}) for s in overlay.of_kind("Secret")}
    # cert-manager writes a Certificate's secret (tls.crt, tls.key, ca.crt) in the cluster.
    for cert in overlay.of_kind("Certificate"):
        secrets[cert["spec"]["secretName"]] = dict.fromkeys(("tls.crt", "tls.key", "ca.crt"), "")
    for workload in workloads(overlay.objects):
        spec = pod_spec(workload)
        for volume in spec.get("volumes", []):
            if "configMap" in volume:
                assert volume["configMap"]["name"] in config_maps, label(workload)
            if "secret" in volume:
                assert volume["secret"]["secretName"] in secrets, label(workload)
        for container in all_containers(workload):
            for source in container.get("envFrom", []):
                if "secretRef" in source:
                    ref = source["secretRef"]
                    # An optional one is the operator's own (pq-tradingview), never generated.
                    assert ref["name"] in secrets or ref.get("optional"), label(workload)
                else:
                    assert source["configMapRef"]["name"] in config_maps, label(workload)
            for var in container.get("env", []):
                ref = var.get("valueFrom", {}).get("secretKeyRef")
                if ref:
                    assert ref["key"] in secrets.get(ref["name"], {}), (
                        f"{label(workload)}: {ref['name']}/{ref['key']}"
                    )


def test_services_and_disruption_budgets_select_running_pods(overlay: BuiltOverlay) -> None:
    pods = [(label(w), pod_labels(w)) for w in workloads(overlay.objects) if w["kind"] != "Job"]
    for svc in overlay.of_kind("Service"):
        selector = {"matchLabels": svc["spec"]["selector"]}
        matched = [n for n, labels in pods if selector_matches(selector, labels)]
        assert matched, f"Service {svc['metadata']['name']} selects no pod"
    budgets = overlay.of_kind("PodDisruptionBudget")
    for name, labels in pods:
        covering = [b for b in budgets if selector_matches(b["spec"]["selector"], labels)]
        if name.split("/")[1] in (*SERVICES, "nats", "mongo"):
            assert len(covering) == 1, f"{name}: {len(covering)} PodDisruptionBudgets"


def test_gateway_and_query_autoscale(overlay: BuiltOverlay) -> None:
    hpas = {h["metadata"]["name"]: h for h in overlay.of_kind("HorizontalPodAutoscaler")}
    assert set(hpas) == {"gateway", "query"}
    for name, hpa in hpas.items():
        target = hpa["spec"]["scaleTargetRef"]
        assert (target["kind"], target["name"]) == ("Deployment", name)
        assert hpa["spec"]["minReplicas"] <= hpa["spec"]["maxReplicas"]
        # The HPA owns the count: a replicas field would fight it on every apply.
        assert "replicas" not in overlay.get("Deployment", name)["spec"]
    if overlay.name == "prod":
        assert hpas["gateway"]["spec"]["minReplicas"] >= 2
        assert hpas["query"]["spec"]["minReplicas"] >= 2


@pytest.mark.parametrize(
    ("service", "index_var", "count_var"),
    [
        ("bar-builder", "PQ_INSTANCE_INDEX", "PQ_INSTANCE_COUNT"),
        ("ingest-stream", "PQ_SHARD_INDEX", "PQ_SHARD_COUNT"),
    ],
)
def test_partitioned_services_know_their_ordinal_and_the_replica_count(
    overlay: BuiltOverlay, service: str, index_var: str, count_var: str
) -> None:
    sts = overlay.get("StatefulSet", service)
    (container,) = pod_spec(sts)["containers"]
    assert env_value(container, count_var) == str(sts["spec"]["replicas"])
    (index,) = [v for v in container["env"] if v["name"] == index_var]
    assert index["valueFrom"]["fieldRef"]["fieldPath"] == (
        "metadata.labels['apps.kubernetes.io/pod-index']"
    )
    if overlay.name == "prod":
        assert sts["spec"]["replicas"] >= 2


def _config(overlay: BuiltOverlay, prefix: str) -> dict[str, str]:
    (cm,) = [c for c in overlay.of_kind("ConfigMap") if c["metadata"]["name"].startswith(prefix)]
    data: dict[str, str] = cm["data"]
    return data


def test_nats_runs_jetstream_with_sync_always_and_matching_replicas(overlay: BuiltOverlay) -> None:
    nats = overlay.get("StatefulSet", "nats")
    replicas = nats["spec"]["replicas"]
    conf = _config(overlay, "nats-config-")["nats.conf"]
    config = _config(overlay, "pq-config-")
    assert re.search(r"^\s*sync_interval:\s*always\s*$", conf, re.MULTILINE)
    assert "jetstream" in conf
    assert int(config["PQ_STREAM_REPLICAS"]) <= replicas
    routes = set(re.findall(r"nats://(nats-\d+)\.nats-headless:6222", conf))
    if overlay.name == "prod":
        assert replicas == 3
        assert config["PQ_STREAM_REPLICAS"] == "3"
        assert routes == {f"nats-{i}" for i in range(replicas)}
    else:
        assert replicas == 1
        assert config["PQ_STREAM_REPLICAS"] == "1"
        assert not routes


def test_mongo_replica_set_members_match_the_statefulset(overlay: BuiltOverlay) -> None:
    mongo = overlay.get("StatefulSet", "mongo")
    replicas = mongo["spec"]["replicas"]
    hosts = _config(overlay, "pq-config-")["PQ_MONGODB_HOSTS"].split(",")
    assert hosts == [f"mongo-{i}.mongo-headless:27017" for i in range(replicas)]
    assert replicas == (3 if overlay.name == "prod" else 1)
    args = pod_spec(mongo)["containers"][0]["args"]
    assert args[args.index("--replSet") + 1] == "rs0"
    assert "--keyFile" in args
    assert overlay.get("Job", "mongo-init")


def test_stores_spread_over_nodes_in_prod(built_overlays: dict[str, BuiltOverlay]) -> None:
    prod = built_overlays["prod"]
    for name in ("nats", "mongo"):
        affinity = pod_spec(prod.get("StatefulSet", name))["affinity"]["podAntiAffinity"]
        (term,) = affinity["requiredDuringSchedulingIgnoredDuringExecution"]
        assert term["topologyKey"] == "kubernetes.io/hostname"


def test_gateway_has_an_ingress_and_the_dev_stack_uses_the_simulator(
    built_overlays: dict[str, BuiltOverlay],
) -> None:
    for name in OVERLAYS:
        (ingress,) = built_overlays[name].of_kind("Ingress")
        backends = {
            p["backend"]["service"]["name"]
            for rule in ingress["spec"]["rules"]
            for p in rule["http"]["paths"]
        }
        assert backends == {"gateway"}
    assert built_overlays["prod"].of_kind("Ingress")[0]["spec"]["tls"]
    dev_config = _config(built_overlays["dev"], "pq-config-")
    assert dev_config["PQ_TRADINGVIEW_URL"].startswith("ws://tvsim:18765/")
    built_overlays["dev"].get("Deployment", "tvsim")
    prod_deployments = {d["metadata"]["name"] for d in built_overlays["prod"].of_kind("Deployment")}
    assert "tvsim" not in prod_deployments
    prod_config = _config(built_overlays["prod"], "pq-config-")
    assert prod_config["PQ_TRADINGVIEW_URL"].startswith("wss://")


def test_production_mode_settings(overlay: BuiltOverlay) -> None:
    config = _config(overlay, "pq-config-")
    assert config["PQ_ENV"] == "production"
    assert config["PQ_STORE"] == "mongodb"
    assert config["OTEL_EXPORTER_OTLP_ENDPOINT"] == "http://jaeger:4318"
    assert config["PQ_NATS_URL"] == "nats://nats:4222"
    # TLS in prod (test_bus_deploy.py): rediss://
    assert config["PQ_REDIS_URL"].startswith(("redis://redis:6379", "rediss://redis:6379"))


def test_only_the_ingest_services_may_read_the_tradingview_account(overlay: BuiltOverlay) -> None:
    """Least privilege: the operator's TradingView credentials (the optional Secret
    pq-tradingview) reach ingest-history and ingest-stream and no other pod."""
    readers = set()
    for workload in workloads(overlay.objects):
        for container in all_containers(workload):
            for source in container.get("envFrom", []):
                if source.get("secretRef", {}).get("name") == "pq-tradingview":
                    assert source["secretRef"].get("optional") is True, label(workload)
                    readers.add(workload["metadata"]["name"])
    assert readers == {"ingest-history", "ingest-stream"}
