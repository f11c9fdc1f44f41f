"""Prometheus metrics of the messaging runtime, registered in a registry the service owns."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge


class RuntimeMetrics:
    """Outbox lag, relay throughput, consumer lag, processed and dead-lettered counts."""

    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        self.registry = registry if registry is not None else CollectorRegistry()
        r = self.registry
        self.outbox_pending = Gauge(
            "pq_outbox_pending", "Outbox rows not yet published", ["store"], registry=r
        )
        self.outbox_oldest_age = Gauge(
            "pq_outbox_oldest_age_seconds",
            "Age of the oldest unpublished row",
            ["store"],
            registry=r,
        )
        self.outbox_published = Counter(
            "pq_outbox_published_total", "Rows published and acked", ["store"], registry=r
        )
        self.outbox_publish_errors = Counter(
            "pq_outbox_publish_errors_total", "Failed publish attempts", ["store"], registry=r
        )
        self.consumer_lag = Gauge(
            "pq_consumer_lag",
            "Messages in the stream not yet delivered to the consumer",
            ["stream", "consumer"],
            registry=r,
        )
        self.consumer_processed = Counter(
            "pq_consumer_processed_total",
            "Messages applied and acked",
            ["stream", "consumer"],
            registry=r,
        )
        self.consumer_duplicates = Counter(
            "pq_consumer_duplicates_total",
            "Messages skipped as already applied (inbox)",
            ["stream", "consumer"],
            registry=r,
        )
        self.consumer_retries = Counter(
            "pq_consumer_retries_total",
            "Messages nak'ed for a delayed redelivery",
            ["stream", "consumer"],
            registry=r,
        )
        self.dlq = Counter(
            "pq_dlq_total",
            "Messages sent to the dead-letter subject",
            ["stream", "consumer"],
            registry=r,
        )
