"""Settings base classes (pydantic-settings, `PQ_` prefix) that service settings subclass.

    class BarBuilderSettings(ServiceSettings):
        service_name: str = "bar-builder"
        http_port: int = 18094

Environment: `PQ_NATS_URL`, `PQ_REDIS_URL`, `PQ_STORE_URL` (`sqlite:///path.db` or
`mongodb://...`), `PQ_STREAM_REPLICAS`, `PQ_QUOTES_MAX_AGE_S`, `PQ_OUTBOX_RETENTION_S`, ...
"""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class NatsSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PQ_", extra="ignore")

    nats_url: str = "nats://127.0.0.1:14222"
    stream_replicas: int = Field(default=1, ge=1, le=5)
    stream_duplicate_window_s: float = Field(default=120.0, ge=120.0)
    quotes_max_age_s: float = Field(default=7 * 24 * 3600.0, gt=0)
    dlq_max_age_s: float = Field(default=30 * 24 * 3600.0, gt=0)


class StoreSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PQ_", extra="ignore")

    store_url: str = "sqlite:///.pq/data/service.db"
    outbox_retention_s: float = Field(default=24 * 3600.0, gt=0)
    inbox_retention_s: float = Field(default=7 * 24 * 3600.0, gt=0)
    inbox_purge_interval_s: float = Field(default=300.0, gt=0)


class TelemetrySettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PQ_", extra="ignore")

    log_level: str = "INFO"
    # A readable console in development; compose.yaml and the k8s base set PQ_LOG_JSON=true.
    log_json: bool = False
    otel_exporter_otlp_endpoint: str | None = None


class ServiceSettings(NatsSettings, StoreSettings, TelemetrySettings):
    """Everything a service shares; subclass it and add the service's own fields."""

    model_config = SettingsConfigDict(env_prefix="PQ_", extra="ignore")

    service_name: str = "service"
    redis_url: str = "redis://127.0.0.1:16379/0"
    http_host: str = "127.0.0.1"
    http_port: int = 18090
