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
    # A JetStream cluster of this many nodes on loopback (3 in production); 1: one server.
    nats_cluster: int = Field(default=1, ge=1, le=5, description="embedded nats-server nodes")
    nats_route_port: int = Field(default=16222, description="node 0's cluster route port")
    # Per-node ports, comma-separated, node 0 first; empty: the base port + node index.
    nats_ports: str = Field(default="", description="client port of each cluster node")
    nats_monitor_ports: str = Field(default="", description="monitor port of each node")
    nats_route_ports: str = Field(default="", description="route port of each node")
    replicas: str = Field(
        default="",
        description="processes per service, e.g. gateway=2,query=2 (others: 1); "
        "extra replicas listen on free ports, listed in stack.json",
    )
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
