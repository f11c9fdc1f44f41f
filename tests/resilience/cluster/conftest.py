"""The cluster suite's stack: three NATS nodes (R3 streams and KV) and two processes of
every service, under live flow. Started once per module by `cluster_stack_factory`."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest

from tests.support.live_flow import LiveStackFactory, live_overrides
from tests.support.nats_cluster import nats_cluster_env
from tests.support.stack_runner import E2eStack

EVERY_SERVICE_TWICE = "gateway=2,query=2,ingest-history=2,ingest-stream=2,bar-builder=2"


def cluster_overrides(**extra: str) -> dict[str, str]:
    """A three-node NATS cluster and every service twice."""
    return nats_cluster_env(**{"PQ_REPLICAS": EVERY_SERVICE_TWICE, **extra})


ClusterStackFactory = Callable[..., E2eStack]


@pytest.fixture(scope="module")
def cluster_stack_factory(live_stack_factory: LiveStackFactory) -> ClusterStackFactory:
    """(name, speed, span, **env) -> a started cluster stack running the simulator live."""

    def start(name: str, speed: float, span: timedelta, **extra: str) -> E2eStack:
        return live_stack_factory(name, **live_overrides(speed, span, **cluster_overrides(**extra)))

    return start
