"""IngestHistorySettings: one pydantic-settings class, `PQ_` prefix, localhost defaults."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import Field, model_validator
from pydantic_settings import SettingsConfigDict

from pq_runtime.settings import ServiceSettings
from pq_tradingview import TradingViewSettings
from pq_tradingview.settings import TradingViewAccess


class IngestHistorySettings(ServiceSettings, TradingViewAccess):
    model_config = SettingsConfigDict(env_prefix="PQ_", extra="ignore")

    service_name: str = "ingest-history"
    http_port: int = Field(default=18092, ge=0, le=65535)
    data_dir: Path = Path(".pq")
    # Empty: `sqlite:///<data dir>/data/ingest-history.db` (set in the validator below,
    # because the base class's default names a generic file).
    store_url: str = ""

    tradingview_request_timeout_s: float = Field(default=30.0, gt=0)

    # Our retries around one history fetch (the client retries connects on its own).
    fetch_attempts: int = Field(default=3, ge=1, le=10)
    fetch_backoff_initial_s: float = Field(default=1.0, ge=0)
    fetch_backoff_max_s: float = Field(default=15.0, ge=0)

    # The sync command consumer: a fetch keeps its message alive with in_progress().
    sync_ack_wait_s: float = Field(default=60.0, gt=0)
    sync_max_deliver: int = Field(default=5, ge=1)

    scheduler_enabled: bool = True
    scheduler_tick_s: float = Field(default=1.0, gt=0)
    kv_replicas: int = Field(default=1, ge=1, le=5)

    @model_validator(mode="before")
    @classmethod
    def _default_store_under_data_dir(cls, values: Any) -> Any:
        if isinstance(values, dict) and not values.get("store_url"):
            data_dir = Path(str(values.get("data_dir") or ".pq")).expanduser().resolve()
            values["store_url"] = f"sqlite:///{data_dir / 'data' / 'ingest-history.db'}"
        return values

    def tradingview(self) -> TradingViewSettings:
        return TradingViewSettings(
            **self.tradingview_access(),
            request_timeout_s=self.tradingview_request_timeout_s,
            # Our own retry policy wraps the fetch; one client-level retry covers a
            # dropped connect without multiplying the two policies' waits.
            max_connect_attempts=2,
            backoff_initial_s=0.5,
            backoff_max_s=2.0,
        )
