"""GatewaySettings: one pydantic-settings class, `PQ_` prefix, localhost defaults."""

from __future__ import annotations

from pydantic import AliasChoices, Field
from pydantic_settings import SettingsConfigDict

from pq_runtime.settings import ServiceSettings

from .ratelimit.policy import RatePolicy, RateSpec, RouteClass

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
    pending_job_ttl_s: int = Field(default=3600, ge=1)

    # Auth (API keys in the PQ_API_KEYS KV bucket, stored as HMAC-SHA256 with the pepper).
    auth_disabled: bool = False
    api_key_pepper: str = Field(default="", repr=False)
    api_key_cache_s: float = Field(default=5.0, ge=0)

    # Rate limits: GCRA in Redis, "<count>/<seconds>" per route class; the burst is count.
    rate_limits_enabled: bool = True
    rate_limit_reads: RatePolicy = RateSpec(count=1200, window_s=60)
    rate_limit_writes: RatePolicy = RateSpec(count=60, window_s=60)
    rate_limit_streams: RatePolicy = RateSpec(count=10, window_s=60)
    rate_limit_fail_closed: bool = False

    # Idempotency-Key: results kept 24 h; a claim's lease frees the key of a crashed request.
    idempotency_ttl_s: int = Field(default=24 * 3600, ge=1)
    idempotency_lease_s: int = Field(default=60, ge=1)

    # Webhooks: delivered by a background worker in this process (see README).
    webhooks_enabled: bool = True
    webhooks_allow_private: bool = False
    webhooks_timeout_s: float = Field(default=10.0, gt=0)
    webhooks_max_attempts: int = Field(default=8, ge=1)
    webhooks_backoff_s: tuple[float, ...] = (1.0, 5.0, 30.0, 120.0, 600.0)
    webhooks_disable_after: int = Field(default=20, ge=1)
    webhooks_replicas: int = Field(default=1, ge=1, le=5)

    def rate_policy(self, route_class: RouteClass) -> RateSpec:
        return {
            "reads": self.rate_limit_reads,
            "writes": self.rate_limit_writes,
            "streams": self.rate_limit_streams,
        }[route_class]
