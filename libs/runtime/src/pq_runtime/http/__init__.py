"""HTTP shells shared by the services."""

from .worker_app import RunService, worker_app

__all__ = ["RunService", "worker_app"]
