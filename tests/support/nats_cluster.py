"""The environment that makes `pq up` run a three-node NATS cluster on free ports."""

from __future__ import annotations

from tests.support.stack_runner import free_ports


def nats_cluster_env(**extra: str) -> dict[str, str]:
    """PQ_NATS_CLUSTER=3 with a client, a monitor and a route port per node, plus `extra`."""
    ports = [str(p) for p in free_ports(9)]
    return {
        "PQ_NATS_CLUSTER": "3",
        "PQ_NATS_PORTS": ",".join(ports[0:3]),
        "PQ_NATS_MONITOR_PORTS": ",".join(ports[3:6]),
        "PQ_NATS_ROUTE_PORTS": ",".join(ports[6:9]),
        **extra,
    }
