"""The launcher's settings: PQ_* environment variables with embedded, non-standard-port defaults."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class LauncherSettings(BaseSettings):
    """`pq up` configuration. Embedded servers never take the standard ports (4222, 6379)."""

    model_config = SettingsConfigDict(env_prefix="PQ_", extra="ignore")

    data_dir: Path = Field(default=Path(".pq"), description="servers' data, logs, stack.json")
    nats_url: str | None = Field(default=None, description="external NATS: none started")
    redis_url: str | None = Field(default=None, description="external Redis: none started")
    nats_port: int = Field(default=14222, description="embedded nats-server client port")
    nats_monitor_port: int = Field(default=18222, description="nats-server monitoring port")
    redis_port: int = Field(default=16379, description="embedded redis-server port")
    # Every HTTP child's port, overridable so parallel stacks and tests never collide.
    gateway_port: int = Field(default=8080, description="the gateway (public REST)")
    query_port: int = Field(default=18091, description="query service (internal reads)")
    ingest_history_port: int = Field(default=18092, description="ingest-history /health")
    ingest_stream_port: int = Field(default=18093, description="ingest-stream /health")
    bar_builder_port: int = Field(default=18094, description="bar-builder /health")
    tvsim_port: int = Field(default=18765, description="TradingView simulator")
    ready_timeout: float = Field(default=30.0, description="s per child to be ready")
    stop_timeout: float = Field(default=10.0, description="seconds a child gets after SIGTERM")
    stack_only: str = Field(
        default="",
        description="comma-separated process names to start (e.g. nats-server,redis-server "
        "to run services from an IDE); empty starts everything",
    )

    @property
    def selected_processes(self) -> frozenset[str]:
        return frozenset(name.strip() for name in self.stack_only.split(",") if name.strip())

    @property
    def data_path(self) -> Path:
        """Absolute data folder: children may run with another working directory."""
        return self.data_dir.expanduser().resolve()

    @property
    def stack_file(self) -> Path:
        return self.data_path / "stack.json"

    @property
    def log_dir(self) -> Path:
        return self.data_path / "logs"
