"""HTTP shells shared by the services."""

from .health import (
    DependencyHealth,
    health_response,
    metrics_response,
    nats_health,
    probe,
    store_worker_health,
    workers_health,
)
from .serve import serve
from .worker_app import RunService, worker_app

__all__ = [
    "DependencyHealth",
    "RunService",
    "health_response",
    "metrics_response",
    "nats_health",
    "probe",
    "serve",
    "store_worker_health",
    "worker_app",
    "workers_health",
]
