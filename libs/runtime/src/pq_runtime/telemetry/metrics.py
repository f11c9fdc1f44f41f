"""Prometheus metrics of the messaging runtime, registered in a registry the service owns."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram


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

    def declare_outbox(self, store: str) -> None:
        """Expose the outbox series at 0 before the relay's first report (a scrape then
        shows them, and rate() has a starting point)."""
        for family in (self.outbox_pending, self.outbox_oldest_age):
            family.labels(store)
        for counter in (self.outbox_published, self.outbox_publish_errors):
            counter.labels(store)

    def declare_consumer(self, stream: str, consumer: str) -> None:
        """Expose a consumer's series (lag, processed, retries, DLQ count) at 0 from the start."""
        self.consumer_lag.labels(stream, consumer)
        for counter in (
            self.consumer_processed,
            self.consumer_duplicates,
            self.consumer_retries,
            self.dlq,
        ):
            counter.labels(stream, consumer)


HTTP_LATENCY_BUCKETS = (
    0.001,
    0.0025,
    0.005,
    0.01,
    0.025,
    0.05,
    0.1,
    0.25,
    0.5,
    1.0,
    2.5,
    5.0,
    10.0,
)


def http_request_latency(
    registry: CollectorRegistry, name: str = "pq_http_request_duration_seconds"
) -> Histogram:
    """The histogram ServerTelemetryMiddleware observes: labels route (the template, so
    label values stay bounded), method and status."""
    return Histogram(
        name,
        "Time to the end of the response, by route template, method and status",
        ["route", "method", "status"],
        buckets=HTTP_LATENCY_BUCKETS,
        registry=registry,
    )
