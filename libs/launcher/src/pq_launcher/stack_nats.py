"""The stack's NATS: one nats-server (the default), or a JetStream cluster of
PQ_NATS_CLUSTER nodes on loopback, plus what the services must be told about it."""

from __future__ import annotations

import dataclasses
import os

from pq_launcher.bus_auth import BusAuth
from pq_launcher.servers import NatsServerConfig, nats_server_spec
from pq_launcher.servers.nats_cluster import (
    MetaLeaderProbe,
    NatsClusterPorts,
    cluster_configs,
    cluster_url,
)
from pq_launcher.settings import LauncherSettings
from pq_launcher.spec import ProcessSpec

# Streams, KV buckets and the webhook stream: as many copies as there are nodes.
REPLICA_SETTINGS = ("PQ_STREAM_REPLICAS", "PQ_KV_REPLICAS", "PQ_WEBHOOKS_REPLICAS")


def _ports(listed: str, base: int, size: int, what: str) -> tuple[int, ...]:
    if not listed.strip():
        return tuple(base + i for i in range(size))
    ports = tuple(int(p) for p in listed.replace(" ", "").split(",") if p)
    if len(ports) != size:
        raise ValueError(f"{what} lists {len(ports)} ports for {size} nodes (PQ_NATS_CLUSTER)")
    return ports


def cluster_ports(settings: LauncherSettings) -> NatsClusterPorts:
    size = settings.nats_cluster
    return NatsClusterPorts(
        client=_ports(settings.nats_ports, settings.nats_port, size, "PQ_NATS_PORTS"),
        monitor=_ports(
            settings.nats_monitor_ports, settings.nats_monitor_port, size, "PQ_NATS_MONITOR_PORTS"
        ),
        route=_ports(
            settings.nats_route_ports, settings.nats_route_port, size, "PQ_NATS_ROUTE_PORTS"
        ),
    )


def bus_auth(settings: LauncherSettings) -> BusAuth:
    """The stack's credentials: `.pq/credentials.json` and `.pq/nats-consumers.json`."""
    return BusAuth(settings.data_path)


def nats_configs(settings: LauncherSettings) -> list[NatsServerConfig]:
    """Every node's config, each with the stack's identities (auth.conf, included)."""
    auth = bus_auth(settings)
    if settings.nats_cluster == 1:
        ports = cluster_ports(settings)
        return [
            NatsServerConfig(
                port=ports.client[0],
                monitor_port=ports.monitor[0],
                data_dir=settings.data_path / "nats",
                auth=auth,
            )
        ]
    return cluster_configs(cluster_ports(settings), settings.data_path / "nats", auth=auth)


def nats_url(settings: LauncherSettings) -> str:
    """What PQ_NATS_URL the services get: every node's URL, comma-separated."""
    return settings.nats_url or cluster_url(nats_configs(settings))


def nats_specs(settings: LauncherSettings) -> list[ProcessSpec]:
    """`nats-server`, or `nats-server-0..n-1`; the last node is ready once the cluster
    has a JetStream meta leader, so the services start on a cluster that can serve them."""
    configs = nats_configs(settings)
    if len(configs) == 1:
        only = configs[0]
        urls = {"nats_url": only.url, "nats_monitor_url": only.monitor_url}
        return [dataclasses.replace(nats_server_spec(only), urls=urls)]
    specs = []
    for i, config in enumerate(configs):
        spec = nats_server_spec(config, name=f"nats-server-{i}")
        node = {"nats_url": config.url, "nats_monitor_url": config.monitor_url}
        # The stack's endpoints name the whole cluster; each node's own are its urls.
        endpoints = {"nats_url": cluster_url(configs), "nats_monitor_url": configs[0].monitor_url}
        spec = dataclasses.replace(spec, group="nats-server", urls=node, endpoints=endpoints)
        if i == len(configs) - 1:
            probe = MetaLeaderProbe(config.monitor_url, size=len(configs))
            spec = dataclasses.replace(spec, readiness=probe)
        specs.append(spec)
    return specs


def replica_settings_env(settings: LauncherSettings) -> dict[str, str]:
    """R<n> streams and buckets on an n-node cluster, unless the environment says otherwise."""
    if settings.nats_url is not None or settings.nats_cluster == 1:
        return {}
    count = str(settings.nats_cluster)
    return {name: count for name in REPLICA_SETTINGS if not os.environ.get(name)}
