"""GET /health: each dependency's state."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel


class DependencyHealth(BaseModel):
    status: Literal["up", "down"]
    detail: str | None = None


class HealthReport(BaseModel):
    status: Literal["ok", "degraded"]
    dependencies: dict[str, DependencyHealth]
