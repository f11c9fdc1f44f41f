"""The deployed gateway: the Ingress publishes the API and its documents, never /health
or /metrics; the gateway's egress reaches its dependencies, DNS, and only public
addresses on 443 (the second wall behind the webhook URL guard)."""

from __future__ import annotations

import ipaddress

import pytest

from tests.unit.deploy.conftest import (  # noqa: F401 - fixtures used by name
    OVERLAYS,
    BuiltOverlay,
    built_overlays,
    k8s_copy,
    kubectl,
)

PUBLIC = ("/v1", "/docs", "/openapi.json", "/asyncapi", "/ui")
INSIDE = ("10.0.0.1", "127.0.0.1", "169.254.169.254", "172.16.0.1", "192.168.1.1", "100.64.0.1")
INSIDE_V6 = ("::1", "fe80::1", "fd00::1", "64:ff9b::a9fe:a9fe", "2002:a9fe:a9fe::", "::a9fe:a9fe")


def _routed(path: str, rules: list[tuple[str, str]]) -> bool:
    for prefix, kind in rules:
        if kind == "Exact" and path == prefix:
            return True
        if kind == "Prefix" and (path == prefix or path.startswith(prefix.rstrip("/") + "/")):
            return True
    return False


@pytest.mark.parametrize("overlay_name", OVERLAYS)
def test_the_ingress_publishes_the_api_but_not_health_or_metrics(
    built_overlays: dict[str, BuiltOverlay],  # noqa: F811
    overlay_name: str,
) -> None:
    (ingress,) = built_overlays[overlay_name].of_kind("Ingress")
    rules = [
        (p["path"], p["pathType"]) for r in ingress["spec"]["rules"] for p in r["http"]["paths"]
    ]
    for path in ("/v1/bars", "/docs", "/openapi.json", "/asyncapi", "/ui/"):
        assert _routed(path, rules), path
    for path in ("/health", "/metrics", "/", "/healthz", "/metrics/"):
        assert not _routed(path, rules), path


def _blocked(address: str, blocks: list[dict[str, object]]) -> bool:
    ip = ipaddress.ip_address(address)
    for block in blocks:
        net = ipaddress.ip_network(str(block["cidr"]))
        if ip.version == net.version and ip in net:
            excepted = [ipaddress.ip_network(str(e)) for e in block.get("except", [])]  # type: ignore[attr-defined]
            return any(ip in e for e in excepted if e.version == ip.version)
    return True


def test_the_gateway_egress_reaches_only_public_addresses_on_443(
    built_overlays: dict[str, BuiltOverlay],  # noqa: F811
) -> None:
    policy = built_overlays["prod"].get("NetworkPolicy", "gateway-egress")
    assert policy["spec"]["policyTypes"] == ["Egress"]
    assert policy["spec"]["podSelector"]["matchLabels"]["app.kubernetes.io/name"] == "gateway"
    external = [
        rule
        for rule in policy["spec"]["egress"]
        if any("ipBlock" in peer for peer in rule.get("to", []))
    ]
    assert len(external) == 1
    [rule] = external
    assert [p["port"] for p in rule["ports"]] == [443]
    blocks = [peer["ipBlock"] for peer in rule["to"]]
    for address in (*INSIDE, *INSIDE_V6):
        assert _blocked(address, blocks), address
    assert not _blocked("93.184.216.34", blocks)
    assert not _blocked("2606:2800:220:1:248:1893:25c8:1946", blocks)
