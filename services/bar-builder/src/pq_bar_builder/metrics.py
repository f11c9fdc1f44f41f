"""The bar-builder's Prometheus metrics, beside the runtime's (same registry).

Rates (quotes/s in, bars/s out) are `rate()` of the counters. Each partition's lag, DLQ
count and applied quotes are the runtime's consumer series (`pq_consumer_lag`,
`pq_dlq_total`, `pq_consumer_processed_total`; consumer `bar-builder-p<n>`).
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram


class BarBuilderMetrics:
    def __init__(self, registry: CollectorRegistry) -> None:
        r = registry
        self.quotes = Counter("pq_bar_builder_quotes_total", "Quotes applied", registry=r)
        self.skipped = Counter(
            "pq_bar_builder_redelivered_total",
            "Messages skipped as already applied (stream sequence <= tracked)",
            registry=r,
        )
        self.poison = Counter(
            "pq_bar_builder_poison_total", "Messages dead-lettered as no quote", registry=r
        )
        self.bars = Counter(
            "pq_bar_builder_bars_total",
            "BarCompleted committed to the outbox (kind: completed = revision 0, revision)",
            ["kind"],
            registry=r,
        )
        self.late_dropped = Counter(
            "pq_bar_builder_late_dropped_total",
            "(quote, interval) pairs past the lateness window",
            registry=r,
        )
        self.off_session = Counter(
            "pq_bar_builder_off_session_quotes_total",
            "Quotes between a session's close and the next open: in no bar",
            registry=r,
        )
        self.live_bars = Counter(
            "pq_bar_builder_live_bars_total", "Provisional bars published", registry=r
        )
        self.batch_size = Histogram(
            "pq_bar_builder_batch_size",
            "Messages per fetched batch",
            buckets=(1, 10, 50, 100, 250, 500, 1000, 2000),
            registry=r,
        )
        self.batch_seconds = Histogram(
            "pq_bar_builder_batch_seconds",
            "Decode + aggregate + commit + ack of one batch",
            buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0),
            registry=r,
        )
        self.partitions_owned = Gauge(
            "pq_bar_builder_partitions_owned", "Partitions this instance runs", registry=r
        )
        self.recoveries = Counter(
            "pq_bar_builder_recoveries_total",
            "Partition reloads from the store after a failed batch",
            registry=r,
        )
