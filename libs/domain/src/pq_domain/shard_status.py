"""A quote-stream shard's entry in the PQ_STREAM_STATUS KV bucket, one key per shard.

ingest-stream writes it every heartbeat; the gateway reads it for `GET /v1/stream/status`.
One type for both sides, so the writer and the reader cannot drift apart (the schema is
described in services/gateway/README.md).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class ShardStatus:
    shard: str
    connected: bool
    symbols: tuple[str, ...]  # the symbols this shard owns, sorted
    last_quote_at: int | None  # wall clock (epoch ms) when the newest quote arrived
    reconnects: int
    updated_at: int  # epoch ms of this heartbeat
    error: str | None = None  # why it is not connected (e.g. a refused TradingView sign-in)

    def to_payload(self) -> dict[str, Any]:
        return {
            "shard": self.shard,
            "connected": self.connected,
            "symbols": list(self.symbols),
            "last_quote_at": self.last_quote_at,
            "reconnects": self.reconnects,
            "updated_at": self.updated_at,
            "error": self.error,
        }

    @classmethod
    def from_payload(cls, p: Mapping[str, Any]) -> ShardStatus:
        """KeyError, TypeError or ValueError when `p` is not a shard status."""
        last = p.get("last_quote_at")
        return cls(
            shard=str(p["shard"]),
            connected=bool(p["connected"]),
            symbols=tuple(str(s) for s in p.get("symbols", ())),
            last_quote_at=None if last is None else int(last),
            reconnects=int(p.get("reconnects", 0)),
            updated_at=int(p["updated_at"]),
            error=None if p.get("error") is None else str(p["error"]),
        )
