"""IngestStreamSettings: one pydantic-settings class, `PQ_` prefix, localhost defaults."""

from __future__ import annotations

import os
import socket
from typing import Self

from pydantic import Field, model_validator
from pydantic_settings import SettingsConfigDict

from pq_domain import Interval
from pq_runtime.settings import ServiceSettings
from pq_tradingview import QuoteStreamOptions, TradingViewSettings
from pq_tradingview.settings import TradingViewAccess

DEFAULT_BACKFILL_INTERVALS = "1m,5m,15m,1h,4h,1d"


class IngestStreamSettings(ServiceSettings, TradingViewAccess):
    model_config = SettingsConfigDict(env_prefix="PQ_", extra="ignore")

    service_name: str = "ingest-stream"
    http_port: int = Field(default=18093, ge=0, le=65535)

    tradingview_silence_timeout_s: float = Field(default=30.0, gt=0)
    tradingview_backoff_initial_s: float = Field(default=0.5, gt=0)
    tradingview_backoff_max_s: float = Field(default=30.0, gt=0)
    # Quotes held per symbol while the publisher is behind; beyond it the oldest are dropped
    # and their range is backfilled (a gap) so the bars are repaired.
    tradingview_backlog_per_symbol: int = Field(default=1024, ge=1)

    # Sharding. Both set: static (shard_index of shard_count, e.g. a StatefulSet ordinal).
    # Neither: dynamic membership through heartbeats in PQ_STREAM_STATUS.
    shard_index: int | None = Field(default=None, ge=0)
    shard_count: int | None = Field(default=None, ge=1)
    shard_id: str = ""  # empty: shard-<index> (static) or <hostname>-<pid> (dynamic)
    heartbeat_s: float = Field(default=2.0, gt=0)
    member_ttl_s: float = Field(default=8.0, gt=0)  # a member silent this long is dead
    kv_replicas: int = Field(default=1, ge=1, le=5)
    watchlist_resync_s: float = Field(default=30.0, gt=0)  # full re-read of the watchlist

    # Publishing: acks are awaited per batch (or after `publish_linger_s` when quiet).
    publish_batch_size: int = Field(default=500, ge=1, le=4000)
    publish_linger_s: float = Field(default=0.05, gt=0)
    publish_ack_timeout_s: float = Field(default=5.0, gt=0)

    # Backfill after gaps (reconnects, restarts, new symbols).
    backfill_intervals: str = DEFAULT_BACKFILL_INTERVALS
    initial_backfill_s: float = Field(default=24 * 3600.0, ge=0)  # new symbols: this far back
    max_backfill_s: float = Field(default=7 * 24 * 3600.0, gt=0)  # longer gaps are cut here
    backfill_rate_per_s: float = Field(default=5.0, gt=0)  # SyncRequested commands per second
    backfill_burst: int = Field(default=30, ge=1)
    gap_settle_s: float = Field(default=2.0, ge=0)  # connected (and no drop) this long: closed
    gap_max_open_s: float = Field(default=30.0, gt=0)  # drops that go on: closed this often
    # A command sent before its last bucket closed is followed by a sync of that bucket once
    # event time is this far past its end (the provider leaves forming bars out).
    backfill_follow_up_delay_s: float = Field(default=2.0, ge=0)
    session_poll_s: float = Field(default=0.25, gt=0)

    @model_validator(mode="after")
    def _check(self) -> Self:
        if (self.shard_index is None) != (self.shard_count is None):
            raise ValueError("set both PQ_SHARD_INDEX and PQ_SHARD_COUNT, or neither")
        if self.shard_count is not None and (self.shard_index or 0) >= self.shard_count:
            raise ValueError("PQ_SHARD_INDEX must be below PQ_SHARD_COUNT")
        if self.member_ttl_s <= self.heartbeat_s * 2:
            raise ValueError("PQ_MEMBER_TTL_S must exceed two heartbeats (PQ_HEARTBEAT_S)")
        self.intervals()  # validates the list
        return self

    @property
    def static_sharding(self) -> bool:
        return self.shard_count is not None

    def resolved_shard_id(self) -> str:
        if self.shard_id:
            return self.shard_id
        if self.shard_index is not None:
            return f"shard-{self.shard_index}"
        return f"{socket.gethostname()}-{os.getpid()}"

    def intervals(self) -> tuple[Interval, ...]:
        names = [n.strip() for n in self.backfill_intervals.split(",") if n.strip()]
        return tuple(Interval.parse(n) for n in names)

    def tradingview(self) -> TradingViewSettings:
        return TradingViewSettings(
            **self.tradingview_access(),
        )

    def quote_stream_options(self) -> QuoteStreamOptions:
        return QuoteStreamOptions(
            silence_timeout_s=self.tradingview_silence_timeout_s,
            backoff_initial_s=self.tradingview_backoff_initial_s,
            backoff_max_s=self.tradingview_backoff_max_s,
            backlog_per_symbol=self.tradingview_backlog_per_symbol,
        )
