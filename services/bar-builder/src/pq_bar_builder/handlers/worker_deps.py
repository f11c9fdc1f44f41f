"""What a PartitionWorker needs, built once by the composition root."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from nats.aio.client import Client
from nats.js import JetStreamContext

from pq_domain import AggregatorConfig
from pq_domain.aggregation import SessionFor
from pq_runtime.telemetry import RuntimeMetrics

from ..adapters.live_publisher import FormingBars, LiveBarPublisher
from ..adapters.partitioned_stream import PARTITIONED_STREAM
from ..metrics import BarBuilderMetrics
from ..ports import PartitionStateStore


def wall_clock_ms() -> int:
    return time.time_ns() // 1_000_000


@dataclass(frozen=True, slots=True)
class WorkerSettings:
    batch_size: int = 500
    fetch_timeout_s: float = 0.25
    ack_wait_s: float = 30.0
    clock_interval_s: float = 0.25
    stream: str = PARTITIONED_STREAM


@dataclass(frozen=True, slots=True)
class WorkerDeps:
    js: JetStreamContext
    store: PartitionStateStore
    aggregator: AggregatorConfig
    settings: WorkerSettings
    metrics: BarBuilderMetrics
    runtime_metrics: RuntimeMetrics | None = None
    live: Callable[[FormingBars], LiveBarPublisher] | None = None
    session_for: SessionFor | None = None
    clock_ms: Callable[[], int] = wall_clock_ms
    nc: Client | None = None  # for the server's max_payload, which dead letters must fit
