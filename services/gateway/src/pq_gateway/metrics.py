"""The gateway's Prometheus metrics, in a registry the app owns (served at /metrics)."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter

from pq_runtime.telemetry import http_request_latency


class GatewayMetrics:
    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        self.registry = registry if registry is not None else CollectorRegistry()
        r = self.registry
        # The gateway's name predates the runtime's generic one; dashboards use it.
        self.request_latency = http_request_latency(r, "pq_gateway_request_duration_seconds")
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
