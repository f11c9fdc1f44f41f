"""Prometheus metrics of the query service, in a registry the app owns (with the runtime's)."""

from __future__ import annotations

import time
from datetime import datetime

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

from pq_runtime.telemetry import RuntimeMetrics, http_request_latency

_BATCH_SIZES = (1, 5, 10, 50, 100, 200, 500, 1000)


class QueryMetrics:
    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        self.registry = registry if registry is not None else CollectorRegistry()
        r = self.registry
        self.runtime = RuntimeMetrics(r)
        self.http_latency = http_request_latency(r)
        self.batch_size = Histogram(
            "pq_query_batch_size", "Messages per projected batch", ["projection"],
            buckets=_BATCH_SIZES, registry=r,
        )  # fmt: skip
        self.batch_seconds = Histogram(
            "pq_query_batch_seconds", "Time to decode and stage a batch", ["projection"],
            registry=r,
        )  # fmt: skip
        self.bars_upserted = Counter(
            "pq_query_bars_upserted_total", "Bar rows offered to the store's conditional upsert",
            registry=r,
        )  # fmt: skip
        self.projection_lag = Gauge(
            "pq_query_projection_lag_seconds",
            "Now minus the stream time of the last event a projection applied",
            ["projection"], registry=r,
        )  # fmt: skip
        self.cache = Counter(
            "pq_query_cache_total", "Bars page cache lookups", ["result"], registry=r
        )
        self.quotes_dropped = Counter(
            "pq_query_quotes_dropped_total", "Latest quotes not written (Redis down)", registry=r
        )

    def observe_batch(self, projection: str, size: int, seconds: float) -> None:
        self.batch_size.labels(projection).observe(size)
        if seconds:
            self.batch_seconds.labels(projection).observe(seconds)

    def observe_event_time(self, projection: str, stored_at: datetime) -> None:
        self.projection_lag.labels(projection).set(max(0.0, time.time() - stored_at.timestamp()))
