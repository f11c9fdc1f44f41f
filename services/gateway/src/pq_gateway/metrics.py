"""The gateway's Prometheus metrics, in a registry the app owns (served at /metrics)."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Histogram

_LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


class GatewayMetrics:
    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        self.registry = registry if registry is not None else CollectorRegistry()
        r = self.registry
        self.request_latency = Histogram(
            "pq_gateway_request_duration_seconds",
            "Time to the end of the response, by route template, method and status",
            ["route", "method", "status"],
            buckets=_LATENCY_BUCKETS,
            registry=r,
        )
        self.auth_failures = Counter(
            "pq_gateway_auth_failures_total",
            "Requests refused by authentication or scope",
            ["reason"],
            registry=r,
        )
        self.rate_limited = Counter(
            "pq_gateway_rate_limited_total",
            "Requests refused with 429",
            ["route_class"],
            registry=r,
        )
        self.rate_limit_errors = Counter(
            "pq_gateway_rate_limit_errors_total",
            "Rate limit checks that failed because Redis was unreachable",
            registry=r,
        )
        self.idempotency_replays = Counter(
            "pq_gateway_idempotency_replays_total",
            "Responses replayed for a repeated Idempotency-Key",
            registry=r,
        )
        self.idempotency_conflicts = Counter(
            "pq_gateway_idempotency_conflicts_total",
            "Repeated Idempotency-Keys refused (409 in flight, 422 payload mismatch)",
            ["reason"],
            registry=r,
        )
        self.webhook_deliveries = Counter(
            "pq_gateway_webhook_deliveries_total",
            "Webhook delivery attempts by outcome",
            ["outcome"],
            registry=r,
        )
