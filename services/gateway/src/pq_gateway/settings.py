"""GatewaySettings: one pydantic-settings class, `PQ_` prefix, localhost defaults."""

from __future__ import annotations

from pydantic import AliasChoices, Field
from pydantic_settings import SettingsConfigDict

from pq_runtime.settings import ServiceSettings

MIB = 1024 * 1024


class GatewaySettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="PQ_", extra="ignore", populate_by_name=True)

    service_name: str = "gateway"
    http_host: str = "127.0.0.1"
    # The contract names PQ_GATEWAY_PORT; PQ_HTTP_PORT is every service's generic name.
    http_port: int = Field(
        default=8080,
        ge=1,
        le=65535,
        validation_alias=AliasChoices("PQ_GATEWAY_PORT", "PQ_HTTP_PORT", "http_port"),
    )
    query_url: str = "http://127.0.0.1:18091"
    query_timeout_s: float = Field(default=10.0, gt=0)
    query_max_connections: int = Field(default=100, ge=1)
    sync_max_bars: int = Field(default=20_000, ge=1)
    max_body_bytes: int = Field(default=MIB, ge=1)
    nats_publish_timeout_s: float = Field(default=5.0, gt=0)
    dependency_probe_timeout_s: float = Field(default=2.0, gt=0)
    kv_replicas: int = Field(default=1, ge=1, le=5)
    sse_heartbeat_s: float = Field(default=15.0, gt=0)
    sse_max_symbols: int = Field(default=50, ge=1)
    sse_queue_size: int = Field(default=1000, ge=1)
