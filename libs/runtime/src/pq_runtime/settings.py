"""Settings base classes (pydantic-settings, `PQ_` prefix) that service settings subclass.

    class BarBuilderSettings(ServiceSettings):
        service_name: str = "bar-builder"
        http_port: int = 18094

Environment: `PQ_NATS_URL`, `PQ_NATS_USER`, `PQ_NATS_PASSWORD`, `PQ_NATS_CA_FILE`,
`PQ_REDIS_URL`, `PQ_REDIS_PASSWORD`, `PQ_REDIS_CA_FILE`, `PQ_STORE_URL` (`sqlite:///path.db` or
`mongodb://...`), `PQ_STREAM_REPLICAS`, `PQ_QUOTES_MAX_AGE_S`, `PQ_OUTBOX_RETENTION_S`, ...
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal, Self

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from .bus_identity import NatsIdentity, production_problems


class NatsSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PQ_", extra="ignore")

    nats_url: str = "nats://127.0.0.1:14222"
    # This process's own NATS identity (the launcher hands each service its own).
    nats_user: str | None = None
    nats_password: SecretStr | None = None
    nats_ca_file: Path | None = Field(default=None, description="CA bundle: TLS to NATS")
    stream_replicas: int = Field(default=1, ge=1, le=5)
    stream_duplicate_window_s: float = Field(default=120.0, ge=120.0)
    quotes_max_age_s: float = Field(default=7 * 24 * 3600.0, gt=0)
    dlq_max_age_s: float = Field(default=30 * 24 * 3600.0, gt=0)

    @property
    def nats_identity(self) -> NatsIdentity:
        return NatsIdentity(self.nats_user, self.nats_password, self.nats_ca_file)


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
    env: Literal["development", "production"] = "development"
    redis_url: str = "redis://127.0.0.1:16379/0"
    redis_password: SecretStr | None = None
    redis_ca_file: Path | None = Field(default=None, description="CA bundle: rediss:// URLs")
    http_host: str = "127.0.0.1"
    http_port: int = 18090

    @model_validator(mode="after")
    def _refuse_open_bus_in_production(self) -> Self:
        if self.env == "production":
            problems = production_problems(self.nats_identity, self.redis_password)
            if problems:
                raise ValueError("refusing to start with PQ_ENV=production: " + "; ".join(problems))
        return self

    def redis_options(self) -> dict[str, Any]:
        """Keyword arguments for redis.asyncio.Redis.from_url: password and TLS CA."""
        options: dict[str, object] = {}
        if self.redis_password is not None:
            options["password"] = self.redis_password.get_secret_value()
        if self.redis_ca_file is not None:
            options["ssl_ca_certs"] = str(self.redis_ca_file)
        return options
