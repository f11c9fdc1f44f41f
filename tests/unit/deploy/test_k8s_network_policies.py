"""Ingress isolation: only the gateway (and NATS's client port, for namespaces labelled as
consumers) takes traffic from outside the namespace; internal traffic flows only where the
architecture needs it."""

from __future__ import annotations

from typing import Any

from tests.unit.deploy.conftest import BuiltOverlay
from tests.unit.deploy.k8s_model import label, pod_labels, selector_matches, workloads


def _pods(overlay: BuiltOverlay) -> dict[str, dict[str, str]]:
    return {w["metadata"]["name"]: pod_labels(w) for w in workloads(overlay.objects)}


def _rules_for(overlay: BuiltOverlay, labels: dict[str, str]) -> list[dict[str, Any]]:
    rules = []
    for policy in overlay.of_kind("NetworkPolicy"):
        if selector_matches(policy["spec"]["podSelector"], labels):
            rules.extend(policy["spec"].get("ingress", []))
    return rules


def _admits_outside_traffic(rule: dict[str, Any]) -> bool:
    """A rule without `from` admits every source; namespaceSelector and ipBlock
    peers admit sources outside the namespace."""
    peers = rule.get("from")
    if not peers:
        return True
    return any("namespaceSelector" in p or "ipBlock" in p for p in peers)


def _admits(overlay: BuiltOverlay, source: str, target: str, port: int) -> bool:
    pods = _pods(overlay)
    for rule in _rules_for(overlay, pods[target]):
        peers = rule.get("from")
        peer_ok = not peers or any(
            "podSelector" in p
            and "namespaceSelector" not in p
            and selector_matches(p["podSelector"], pods[source])
            for p in peers
        )
        ports = rule.get("ports")
        port_ok = not ports or any(p["port"] in (port, "http") for p in ports)
        if peer_ok and port_ok:
            return True
    return False


def test_all_ingress_is_denied_by_default(overlay: BuiltOverlay) -> None:
    defaults = [
        p
        for p in overlay.of_kind("NetworkPolicy")
        if p["spec"]["podSelector"] == {} and not p["spec"].get("ingress")
    ]
    assert len(defaults) == 1
    assert defaults[0]["spec"]["policyTypes"] == ["Ingress"]


def test_every_pod_is_covered_by_some_policy(overlay: BuiltOverlay) -> None:
    for name, labels in _pods(overlay).items():
        assert any(
            selector_matches(p["spec"]["podSelector"], labels)
            for p in overlay.of_kind("NetworkPolicy")
        ), name


def test_only_the_gateway_accepts_traffic_from_outside_the_namespace(
    overlay: BuiltOverlay,
) -> None:
    open_to_outside = {
        name
        for name, labels in _pods(overlay).items()
        if any(_admits_outside_traffic(r) for r in _rules_for(overlay, labels))
    }
    assert open_to_outside == {"gateway", "nats"}  # nats: tests/unit/deploy/test_bus_deploy.py


def test_gateway_outside_traffic_is_limited_to_its_http_port(overlay: BuiltOverlay) -> None:
    for rule in _rules_for(overlay, _pods(overlay)["gateway"]):
        assert rule["ports"] == [{"protocol": "TCP", "port": "http"}]


def test_services_reach_the_stores_and_each_other(overlay: BuiltOverlay) -> None:
    services = ("gateway", "query", "ingest-history", "ingest-stream", "bar-builder")
    for source in services:
        assert _admits(overlay, source, "nats", 4222), f"{source} -> nats"
        assert _admits(overlay, source, "mongo", 27017), f"{source} -> mongo"
        assert _admits(overlay, source, "redis", 6379), f"{source} -> redis"
        assert _admits(overlay, source, "jaeger", 4318), f"{source} -> jaeger"
    assert _admits(overlay, "gateway", "query", 18091)
    assert _admits(overlay, "nats", "nats", 6222), "cluster routes"
    assert _admits(overlay, "mongo", "mongo", 27017), "replication"
    assert _admits(overlay, "mongo-init", "mongo", 27017)


def test_stores_refuse_pods_that_are_not_services(overlay: BuiltOverlay) -> None:
    assert not _admits(overlay, "jaeger", "mongo", 27017)
    assert not _admits(overlay, "redis", "nats", 4222)
    assert not _admits(overlay, "jaeger", "query", 18091)


def test_policies_use_same_namespace_pod_selectors_except_for_the_gateway(
    overlay: BuiltOverlay,
) -> None:
    for policy in overlay.of_kind("NetworkPolicy"):
        selector = policy["spec"]["podSelector"]
        if selector == {"matchLabels": {"app.kubernetes.io/name": "gateway"}}:
            continue
        if policy["metadata"]["name"] == "nats-consumers":  # test_bus_deploy.py
            continue
        for rule in policy["spec"].get("ingress", []):
            assert not _admits_outside_traffic(rule), label(policy)
