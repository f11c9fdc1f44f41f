"""HTTP shells shared by the services."""

from .health import (
    DependencyHealth,
    health_response,
    metrics_response,
    nats_health,
    probe,
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
    "worker_app",
    "workers_health",
]
