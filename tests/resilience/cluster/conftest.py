"""The cluster suite's stack: three NATS nodes (R3 streams and KV) and two processes of
every service, under live flow. Started once per module by `cluster_stack_factory`."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest

from tests.support.live_flow import LiveStackFactory, live_overrides
from tests.support.stack_runner import E2eStack, free_ports

EVERY_SERVICE_TWICE = "gateway=2,query=2,ingest-history=2,ingest-stream=2,bar-builder=2"


def cluster_overrides(**extra: str) -> dict[str, str]:
    """PQ_NATS_CLUSTER=3 on free ports (client, monitor and route port per node)."""
    ports = [str(p) for p in free_ports(9)]
    return {
        "PQ_NATS_CLUSTER": "3",
        "PQ_NATS_PORTS": ",".join(ports[0:3]),
        "PQ_NATS_MONITOR_PORTS": ",".join(ports[3:6]),
        "PQ_NATS_ROUTE_PORTS": ",".join(ports[6:9]),
        "PQ_REPLICAS": EVERY_SERVICE_TWICE,
        **extra,
    }


ClusterStackFactory = Callable[..., E2eStack]


@pytest.fixture(scope="module")
def cluster_stack_factory(live_stack_factory: LiveStackFactory) -> ClusterStackFactory:
    """(name, speed, span, **env) -> a started cluster stack running the simulator live."""

    def start(name: str, speed: float, span: timedelta, **extra: str) -> E2eStack:
        return live_stack_factory(name, **live_overrides(speed, span, **cluster_overrides(**extra)))

    return start
