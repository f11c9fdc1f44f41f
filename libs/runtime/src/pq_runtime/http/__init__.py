"""HTTP shells shared by the services."""

from .serve import serve
from .worker_app import RunService, worker_app

__all__ = ["RunService", "serve", "worker_app"]
