"""What `pq up` would run for PQ_NATS_CLUSTER and PQ_REPLICAS, read from the specs alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from pq_launcher.replicas import parse_replicas
from pq_launcher.servers.nats_cluster import MetaLeaderProbe
from pq_launcher.settings import LauncherSettings
from pq_launcher.stack import stack_processes

PORTS = {
    "nats_port": 24222,
    "nats_monitor_port": 28222,
    "nats_route_port": 26222,
    "redis_port": 26379,
    "gateway_port": 28080,
}


def settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, **values: object) -> LauncherSettings:
    for name in ("PQ_STREAM_REPLICAS", "PQ_KV_REPLICAS", "PQ_WEBHOOKS_REPLICAS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("PQ_TRADINGVIEW_URL", raising=False)
    return LauncherSettings(data_dir=tmp_path, **{**PORTS, **values})  # type: ignore[arg-type]


def test_the_default_stays_one_nats_server_and_one_process_per_service(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    specs = stack_processes(settings(tmp_path, monkeypatch))
    names = [s.name for s in specs]
    assert names[0] == "nats-server"
    assert "nats-server-0" not in names
    assert names[-1] == "gateway"
    query = next(s for s in specs if s.name == "query")
    assert query.env["PQ_NATS_URL"] == "nats://127.0.0.1:24222"
    assert "PQ_STREAM_REPLICAS" not in query.env


def test_a_cluster_has_distinct_nodes_routed_to_each_other_and_r3_services(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    specs = stack_processes(settings(tmp_path, monkeypatch, nats_cluster=3))
    nodes = [s for s in specs if s.service == "nats-server"]
    assert [n.name for n in nodes] == ["nats-server-0", "nats-server-1", "nats-server-2"]
    urls = [n.urls["nats_url"] for n in nodes]
    assert urls == [f"nats://127.0.0.1:{24222 + i}" for i in range(3)]
    assert isinstance(nodes[-1].readiness, MetaLeaderProbe)  # services wait for a leader
    for i, node in enumerate(nodes):
        assert node.prepare is not None
        node.prepare()
        text = (tmp_path / "nats" / f"node-{i}" / "nats-server.conf").read_text()
        assert f'server_name: "pq-node-{i}"' in text
        assert "sync_interval: always" in text
        assert f'listen: "127.0.0.1:{26222 + i}"' in text
        assert all(f"nats-route://127.0.0.1:{26222 + j}" in text for j in range(3))
    gateway = next(s for s in specs if s.name == "gateway")
    assert gateway.env["PQ_NATS_URL"] == ",".join(urls)
    assert gateway.env["PQ_STREAM_REPLICAS"] == "3"
    assert gateway.env["PQ_KV_REPLICAS"] == "3"
    assert gateway.env["PQ_WEBHOOKS_REPLICAS"] == "3"


def test_configured_node_ports_must_name_every_node(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    s = settings(tmp_path, monkeypatch, nats_cluster=3, nats_ports="1001,1002")
    with pytest.raises(ValueError, match="PQ_NATS_PORTS lists 2 ports for 3 nodes"):
        stack_processes(s)


def test_replicas_run_on_distinct_ports_and_gateways_know_every_query(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    s = settings(tmp_path, monkeypatch, replicas="gateway=2,query=3,bar-builder=2")
    specs = stack_processes(s)
    queries = [p for p in specs if p.service == "query"]
    assert [q.name for q in queries] == ["query-0", "query-1", "query-2"]
    ports = {p.env["PQ_HTTP_PORT"] for p in specs if "PQ_HTTP_PORT" in p.env}
    assert len(ports) == len([p for p in specs if "PQ_HTTP_PORT" in p.env])  # all distinct
    gateways = [p for p in specs if p.service == "gateway"]
    assert [g.name for g in gateways] == ["gateway-0", "gateway-1"]
    assert gateways[0].env["PQ_GATEWAY_PORT"] == "28080"
    assert gateways[0].endpoints == {"gateway_url": "http://127.0.0.1:28080"}
    assert gateways[1].endpoints == {}  # the stack's gateway_url is replica 0's
    query_urls = [q.urls["http_url"] for q in queries]
    assert all(g.env["PQ_QUERY_URL"] == ",".join(query_urls) for g in gateways)
    assert [p.name for p in specs if p.service == "ingest-stream"] == ["ingest-stream"]


def test_stack_only_selects_a_service_with_all_its_replicas(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    s = settings(
        tmp_path, monkeypatch, nats_cluster=3, replicas="query=2", stack_only="nats-server,query"
    )
    names = [p.name for p in stack_processes(s)]
    assert names == ["nats-server-0", "nats-server-1", "nats-server-2", "query-0", "query-1"]


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("gateway", "is not <service>=<count>"),
        ("gatway=2", "is not <service>=<count>"),
        ("query=two", "is not a whole number"),
        ("query=0", "outside 1..8"),
    ],
)
def test_bad_replicas_are_refused_naming_the_item(text: str, error: str) -> None:
    with pytest.raises(ValueError, match=error):
        parse_replicas(text)


def test_replicas_parse_with_spaces_and_empty_items() -> None:
    assert parse_replicas(" gateway=2, query=2,,") == {"gateway": 2, "query": 2}
    assert parse_replicas("") == {}
