"""BarBuilderSettings: one pydantic-settings class, `PQ_` prefix, localhost defaults."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from pydantic import Field, field_validator, model_validator
from pydantic_settings import NoDecode, SettingsConfigDict

from pq_domain import AggregatorConfig
from pq_runtime.settings import ServiceSettings


class BarBuilderSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="PQ_", extra="ignore")

    service_name: str = "bar-builder"
    http_port: int = Field(default=18094, ge=0, le=65535)
    data_dir: Path = Path(".pq")
    # Empty: `sqlite:///<data dir>/data/bar-builder.db` (the base class names a generic file).
    store_url: str = ""

    # Partitioning. Changing the count re-homes symbols: do it only with fresh state.
    partition_count: int = Field(default=8, ge=1, le=256)
    partitioned_max_age_s: float = Field(default=24 * 3600.0, gt=0)
    # Static ownership: PQ_PARTITIONS=0,1,2,3, or PQ_INSTANCE_INDEX + PQ_INSTANCE_COUNT
    # (StatefulSet ordinals: p % count == index). Neither set: leases in NATS KV.
    partitions: Annotated[tuple[int, ...], NoDecode] = ()
    instance_index: int | None = Field(default=None, ge=0)
    instance_count: int | None = Field(default=None, ge=1)
    instance_id: str = ""  # lease holder name; empty: host-pid-random
    lease_ttl_s: float = Field(default=10.0, gt=1)
    lease_renew_s: float = Field(default=3.0, gt=0)
    kv_replicas: int = Field(default=1, ge=1, le=5)

    # Bars (pq_domain AggregatorConfig), all eight intervals.
    grace_ms: int = Field(default=2_000, ge=0)
    lateness_ms: int = Field(default=60_000, ge=0)
    idle_timeout_ms: int = Field(default=10_000, gt=0)

    # The hot path.
    batch_size: int = Field(default=500, ge=1, le=10_000)
    fetch_timeout_s: float = Field(default=0.25, gt=0)
    ack_wait_s: float = Field(default=30.0, gt=0)
    clock_interval_s: float = Field(default=0.25, gt=0)

    # Provisional bars on core NATS: at most this many per second per symbol and interval.
    live_bars_enabled: bool = True
    live_bars_per_s: float = Field(default=4.0, gt=0)

    @model_validator(mode="before")
    @classmethod
    def _default_store_under_data_dir(cls, values: Any) -> Any:
        if isinstance(values, dict) and not values.get("store_url"):
            data_dir = Path(str(values.get("data_dir") or ".pq")).expanduser().resolve()
            values["store_url"] = f"sqlite:///{data_dir / 'data' / 'bar-builder.db'}"
        return values

    @field_validator("partitions", mode="before")
    @classmethod
    def _comma_separated(cls, value: Any) -> Any:
        if isinstance(value, str):
            return tuple(int(p) for p in value.replace(" ", "").split(",") if p)
        return value

    @model_validator(mode="after")
    def _check_partitions(self) -> BarBuilderSettings:
        bad = [p for p in self.partitions if not 0 <= p < self.partition_count]
        if bad:
            raise ValueError(f"PQ_PARTITIONS {bad} outside 0..{self.partition_count - 1}")
        if (self.instance_index is None) != (self.instance_count is None):
            raise ValueError("set PQ_INSTANCE_INDEX and PQ_INSTANCE_COUNT together")
        if self.instance_index is not None and self.instance_index >= (self.instance_count or 1):
            raise ValueError("PQ_INSTANCE_INDEX must be < PQ_INSTANCE_COUNT")
        if self.lease_renew_s * 2 >= self.lease_ttl_s:
            raise ValueError("PQ_LEASE_RENEW_S must be under half of PQ_LEASE_TTL_S")
        return self

    def static_partitions(self) -> tuple[int, ...] | None:
        """The partitions this instance owns without leases, or None for lease mode."""
        if self.partitions:
            return tuple(sorted(set(self.partitions)))
        if self.instance_index is not None and self.instance_count is not None:
            index, count = self.instance_index, self.instance_count
            return tuple(p for p in range(self.partition_count) if p % count == index)
        return None

    def aggregator_config(self) -> AggregatorConfig:
        return AggregatorConfig(
            grace_ms=self.grace_ms,
            lateness_ms=self.lateness_ms,
            idle_timeout_ms=self.idle_timeout_ms,
        )
