"""QuerySettings: the shared service settings plus the query service's own (PQ_ prefix)."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, model_validator
from pydantic_settings import SettingsConfigDict

from pq_runtime.settings import ServiceSettings


class QuerySettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="PQ_", extra="ignore")

    service_name: str = "query"
    http_port: int = 18091
    data_dir: Path = Path(".pq")
    # Empty: sqlite:///<data_dir>/data/query.db. MongoDB: mongodb://.../pq_query?replicaSet=rs0
    store_url: str = ""
    mongo_db: str = "pq_query"
    bars_batch_size: int = Field(default=200, ge=1, le=5000)
    jobs_batch_size: int = Field(default=200, ge=1, le=5000)
    quotes_batch_size: int = Field(default=1000, ge=1, le=10_000)
    cache_ttl_s: int = Field(default=300, ge=1)
    cache_enabled: bool = True
    sqlite_read_workers: int = Field(default=2, ge=1, le=16)
    rebuild_fetch_batch: int = Field(default=500, ge=1, le=10_000)
    # A quote stamped further ahead of this service's clock is dead-lettered, not served
    # as the latest one (it would pin it: newer wins). See README, "Latest quotes".
    # Bulk export (Accept: text/csv, Parquet, Arrow): a range that may hold more bars is
    # refused (422) rather than streamed for minutes; bars are read this many at a time.
    export_max_bars: int = Field(default=5_000_000, ge=1)
    export_batch_bars: int = Field(default=20_000, ge=100, le=200_000)
    # Exports up to this size are kept in the page cache (Redis) like JSON pages.
    export_cache_max_bytes: int = Field(default=64 * 1024 * 1024, ge=0)
    quote_max_future_skew_s: float = Field(default=86_400.0, gt=0)

    @model_validator(mode="after")
    def _default_store(self) -> QuerySettings:
        if not self.store_url:
            self.store_url = f"sqlite:///{self.data_dir / 'data' / 'query.db'}"
        return self
