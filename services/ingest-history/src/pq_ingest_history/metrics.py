"""The service's own Prometheus metrics, beside the runtime's (same registry)."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Histogram


class SyncMetrics:
    def __init__(self, registry: CollectorRegistry) -> None:
        self.jobs = Counter(
            "pq_sync_jobs_total", "Sync commands handled", ["outcome"], registry=registry
        )
        self.bars = Counter("pq_sync_bars_total", "Complete bars synced", registry=registry)
        self.seconds = Histogram(
            "pq_sync_job_seconds",
            "Command received to outcome committed",
            buckets=(0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120),
            registry=registry,
        )
        self.schedules_fired = Counter(
            "pq_schedules_fired_total", "Schedule periods this replica fired", registry=registry
        )

    def job(self, outcome: str, bars: int, seconds: float) -> None:
        self.jobs.labels(outcome).inc()
        self.bars.inc(bars)
        self.seconds.observe(seconds)
