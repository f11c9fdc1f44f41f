"""A JetStream cluster of nats-servers on loopback: the `cluster` block, routes, and a
readiness probe that waits for the meta leader.

Only the cluster's own concerns live here (its name, each node's route port, the routes
to its peers); `NatsServerConfig` renders the rest of each node's file and appends the
block this module renders, so other blocks (authorization, TLS) compose beside it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import httpx

from pq_launcher.bus_auth import BusAuth
from pq_launcher.ports import LOOPBACK
from pq_launcher.servers.nats import NatsServerConfig

CLUSTER_NAME = "pq"


@dataclass(frozen=True)
class NatsRoutes:
    """One node's `cluster { ... }` block: where it listens for routes, whom it routes to."""

    listen_port: int
    route_ports: tuple[int, ...]  # every node's, its own included (nats-server skips it)
    name: str = CLUSTER_NAME
    host: str = LOOPBACK

    def render(self) -> str:
        routes = ", ".join(json.dumps(f"nats-route://{self.host}:{p}") for p in self.route_ports)
        return (
            "cluster {\n"
            f"  name: {json.dumps(self.name)}\n"
            f"  listen: {json.dumps(f'{self.host}:{self.listen_port}')}\n"
            f"  routes: [{routes}]\n"
            "}\n"
        )


@dataclass(frozen=True)
class NatsClusterPorts:
    """Client, monitoring and route port of each node, node 0 first."""

    client: tuple[int, ...]
    monitor: tuple[int, ...]
    route: tuple[int, ...]

    def __post_init__(self) -> None:
        sizes = {len(self.client), len(self.monitor), len(self.route)}
        if len(sizes) != 1:
            raise ValueError(f"one client, monitor and route port per node, got {self}")

    @property
    def size(self) -> int:
        return len(self.client)


def node_name(index: int) -> str:
    return f"pq-node-{index}"


def cluster_configs(
    ports: NatsClusterPorts, data_dir: Path, *, auth: BusAuth | None = None
) -> list[NatsServerConfig]:
    """One config per node: distinct server names and stores under `data_dir/node-<i>`,
    the same identities on every node (a client may be routed to any of them)."""
    return [
        NatsServerConfig(
            port=ports.client[i],
            monitor_port=ports.monitor[i],
            data_dir=data_dir / f"node-{i}",
            server_name=node_name(i),
            cluster=NatsRoutes(listen_port=ports.route[i], route_ports=ports.route),
            auth=auth,
        )
        for i in range(ports.size)
    ]


def cluster_url(configs: list[NatsServerConfig]) -> str:
    """The client URLs of every node, comma-separated: the form PQ_NATS_URL takes."""
    return ",".join(config.url for config in configs)


@dataclass(frozen=True)
class MetaLeaderProbe:
    """Ready once the node's /jsz names a JetStream meta leader and `size` peers.

    Streams and KV buckets can be created only then: services start after this passes.
    """

    monitor_url: str
    size: int

    def __call__(self) -> bool:
        try:
            answer = httpx.get(f"{self.monitor_url}/jsz", timeout=0.5)
            meta = answer.json().get("meta_cluster") or {}
        except (httpx.HTTPError, ValueError):
            return False
        return bool(meta.get("leader")) and int(meta.get("cluster_size") or 0) >= self.size

    def describe(self) -> str:
        return f"JetStream meta leader in {self.monitor_url}/jsz"
