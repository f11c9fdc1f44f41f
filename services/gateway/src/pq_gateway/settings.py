"""GatewaySettings: one pydantic-settings class, `PQ_` prefix, localhost defaults."""

from __future__ import annotations

from pathlib import Path
from typing import Literal, Self

from pydantic import AliasChoices, Field, model_validator
from pydantic_settings import SettingsConfigDict

from pq_runtime.settings import ServiceSettings

from .ratelimit.policy import RatePolicy, RateSpec, RouteClass
from .settings_types import SYNC_MAX_BARS_DEFAULT, PortList, TrustedProxies

MIB = 1024 * 1024
# The repository's build of the chart page (ui/dist) for a workspace checkout
# (services/gateway/src/pq_gateway/settings.py); packaged deployments set PQ_UI_DIR.
_HERE = Path(__file__).resolve()
REPO_UI_DIR = (_HERE.parents[4] if len(_HERE.parents) > 4 else _HERE.parent) / "ui" / "dist"
MIN_PEPPER_LENGTH = 32
# Values copied from examples and templates: never a production pepper, whatever their length.
PLACEHOLDER_SECRETS = frozenset(
    {
        "changeme",
        "change-me",
        "change_me",
        "changethis",
        "secret",
        "pepper",
        "password",
        "development",
        "dev",
        "test",
        "example",
        "placeholder",
        "unit-test-pepper",
        "please-change-me-to-a-long-random-value",
    }
)


def _is_placeholder(secret: str) -> bool:
    text = secret.strip().lower()
    if text in PLACEHOLDER_SECRETS or len(set(text)) <= 2:  # "xxxx...", "0000..."
        return True
    return any(word in text for word in ("changeme", "change-me", "change_me", "changethis"))


class GatewaySettings(ServiceSettings):
    # hide_input_in_errors: a refused setting must not print the pepper into the logs.
    model_config = SettingsConfigDict(
        env_prefix="PQ_", extra="ignore", populate_by_name=True, hide_input_in_errors=True
    )

    service_name: str = "gateway"
    # production: refuse to start with a missing, short or placeholder pepper, or auth off.
    env: Literal["development", "production"] = "development"
    # The contract names PQ_GATEWAY_PORT; PQ_HTTP_PORT is every service's generic name.
    http_port: int = Field(
        default=8080,
        ge=1,
        le=65535,
        validation_alias=AliasChoices("PQ_GATEWAY_PORT", "PQ_HTTP_PORT", "http_port"),
    )
    # One query service, or its replicas comma-separated (reads fail over between them).
    query_url: str = "http://127.0.0.1:18091"
    query_timeout_s: float = Field(default=10.0, gt=0)
    query_max_connections: int = Field(default=100, ge=1)
    # Answers kept to be revalidated (If-None-Match) instead of sent again; 0: none kept.
    read_cache_max_bytes: int = Field(default=64 * MIB, ge=0)
    # One cap for both sync forms (`bars`, and the bars a start/end range can hold).
    sync_max_bars: int = Field(default=SYNC_MAX_BARS_DEFAULT, ge=1)
    max_body_bytes: int = Field(default=MIB, ge=1)
    nats_publish_timeout_s: float = Field(default=5.0, gt=0)
    dependency_probe_timeout_s: float = Field(default=2.0, gt=0)
    kv_replicas: int = Field(default=1, ge=1, le=5)
    sse_heartbeat_s: float = Field(default=15.0, gt=0)
    sse_max_symbols: int = Field(default=50, ge=1)
    sse_queue_size: int = Field(default=1000, ge=1)
    # Concurrent live streams per caller and per gateway process (streaming/slots.py).
    sse_max_streams_per_key: int = Field(default=10, ge=1)
    sse_max_streams: int = Field(default=1000, ge=1)
    # Watchlist entries and schedules one API key may own (admins are not capped).
    watchlist_max_per_key: int = Field(default=200, ge=1)
    schedules_max_per_key: int = Field(default=200, ge=1)
    # Proxies whose X-Forwarded-For names the client (the Ingress), as CIDRs; from any
    # other peer the header is ignored and the peer is the client (auth/client_address.py).
    trusted_proxies: TrustedProxies = ()
    pending_job_ttl_s: int = Field(default=3600, ge=1)
    ui_dir: Path = REPO_UI_DIR  # the built chart page served at /ui/

    # Auth (API keys in the PQ_API_KEYS KV bucket, stored as HMAC-SHA256 with the pepper).
    auth_disabled: bool = False
    api_key_pepper: str = Field(default="", repr=False)
    api_key_cache_s: float = Field(default=5.0, ge=0)

    # Rate limits: GCRA in Redis, "<count>/<seconds>" per route class; the burst is count.
    rate_limits_enabled: bool = True
    rate_limit_reads: RatePolicy = RateSpec(count=1200, window_s=60)
    rate_limit_writes: RatePolicy = RateSpec(count=60, window_s=60)
    rate_limit_streams: RatePolicy = RateSpec(count=10, window_s=60)
    # Malformed, unknown or revoked keys per client address (ratelimit/auth_failures.py).
    rate_limit_auth_failures: RatePolicy = RateSpec(count=20, window_s=60)
    rate_limit_fail_closed: bool = False
    # Cells of a busy key's budget one replica may lease from Redis at once (ratelimit/
    # leases.py); 1: every request is counted in Redis on its own.
    rate_limit_lease_max: int = Field(default=64, ge=1)
    # Failed authentications while Redis is unreachable: counted in this process (closed)
    # or not at all (open). Unset: closed in production, open in development.
    auth_failures_fail_closed: bool | None = None

    # Idempotency-Key: results kept 24 h; a claim's lease frees the key of a crashed request.
    idempotency_ttl_s: int = Field(default=24 * 3600, ge=1)
    idempotency_lease_s: int = Field(default=60, ge=1)

    # Webhooks: delivered by a background worker in this process (see README).
    webhooks_enabled: bool = True
    webhooks_allow_private: bool = False
    # Ports a webhook URL may name (an explicit port elsewhere reaches internal services).
    webhooks_allowed_ports: PortList = (443,)
    webhooks_timeout_s: float = Field(default=10.0, gt=0)
    webhooks_max_attempts: int = Field(default=8, ge=1)
    webhooks_backoff_s: tuple[float, ...] = (1.0, 5.0, 30.0, 120.0, 600.0)
    webhooks_disable_after: int = Field(default=20, ge=1)
    webhooks_replicas: int = Field(default=1, ge=1, le=5)

    @model_validator(mode="after")
    def _refuse_unsafe_production(self) -> Self:
        if self.env != "production":
            return self
        problems = []
        pepper = self.api_key_pepper
        if not pepper:
            problems.append("PQ_API_KEY_PEPPER is empty")
        elif len(pepper) < MIN_PEPPER_LENGTH:
            problems.append(f"PQ_API_KEY_PEPPER is shorter than {MIN_PEPPER_LENGTH} characters")
        elif _is_placeholder(pepper):
            problems.append("PQ_API_KEY_PEPPER is a placeholder value")
        if self.auth_disabled:
            problems.append("PQ_AUTH_DISABLED=true")
        if self.webhooks_allow_private:
            problems.append("PQ_WEBHOOKS_ALLOW_PRIVATE=true")
        if not self.rate_limits_enabled:
            problems.append("PQ_RATE_LIMITS_ENABLED=false")
        if problems:
            raise ValueError(
                "refusing to start with PQ_ENV=production: "
                + "; ".join(problems)
                + " (set a random pepper of at least 32 characters, e.g. "
                "`python -c 'import secrets; print(secrets.token_urlsafe(32))'`, "
                "and keep auth, rate limits and the webhook address guard on)"
            )
        return self

    def query_urls(self) -> list[str]:
        return [url.strip() for url in self.query_url.split(",") if url.strip()]

    @property
    def count_auth_failures_locally(self) -> bool:
        """Whether failed authentications are counted in-process while Redis is down."""
        if self.auth_failures_fail_closed is not None:
            return self.auth_failures_fail_closed
        return self.env == "production"

    def rate_policy(self, route_class: RouteClass) -> RateSpec:
        return {
            "reads": self.rate_limit_reads,
            "writes": self.rate_limit_writes,
            "streams": self.rate_limit_streams,
        }[route_class]
