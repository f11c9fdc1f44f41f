"""Live-stream schemas: the watchlist and the per-shard quote session status."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field


class SubscriptionPublic(BaseModel):
    symbol: str = Field(examples=["NYSE:BRK.B"])
    added_at: datetime = Field(description="When the symbol joined the watchlist, RFC 3339 UTC")


class SubscriptionsList(BaseModel):
    subscriptions: list[SubscriptionPublic]


class ShardStatusPublic(BaseModel):
    shard: str
    connected: bool
    symbols: list[str]
    last_quote_at: datetime | None
    reconnects: int
    updated_at: datetime
    error: str | None = Field(
        default=None,
        description="Why the shard is not connected, e.g. a refused TradingView sign-in",
    )


class StreamStatus(BaseModel):
    shards: list[ShardStatusPublic]
