"""PQ_STREAM_CURSORS: each symbol's StreamCursor, durable across restarts and shards.

Whoever owns a symbol next (this instance after a restart, or the shard that takes over
from a dead one) starts the symbol's backfill from its cursor and sends its follow-ups.
Value: `{"symbol","last_quote_ts","follow_ups":[{"interval","start","end"}],"shard",
"updated_at"}` (`follow_ups` absent in entries written before follow-ups existed).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Mapping
from typing import Any

import structlog
from nats.js.errors import KeyNotFoundError
from nats.js.kv import KeyValue

from pq_domain import Interval, Symbol
from pq_domain.buckets import symbol_key
from pq_runtime.codec import CodecError, decode, encode

from ..model.follow_ups import FollowUp
from ..model.stream_cursor import StreamCursor

log = structlog.get_logger(__name__)
CONCURRENCY = 64  # KV round trips in flight per flush


class KvCursorStore:
    def __init__(self, kv: KeyValue, *, shard: str) -> None:
        self._kv = kv
        self._shard = shard
        self._slots = asyncio.Semaphore(CONCURRENCY)

    async def get(self, symbol: Symbol) -> StreamCursor | None:
        try:
            entry = await self._kv.get(symbol_key(symbol), validate_keys=False)
        except KeyNotFoundError:
            return None
        try:
            return _cursor_of(symbol, decode(entry.value or b""))
        except (CodecError, KeyError, TypeError, ValueError):
            log.warning("cursor.malformed", symbol=str(symbol))
            return None

    async def get_many(self, symbols: list[Symbol]) -> dict[Symbol, StreamCursor | None]:
        values = await asyncio.gather(*(self._bounded_get(s) for s in symbols))
        return dict(zip(symbols, values, strict=True))

    async def put_many(self, cursors: dict[Symbol, StreamCursor]) -> None:
        now = int(time.time() * 1000)
        await asyncio.gather(*(self._put(s, c, now) for s, c in cursors.items()))

    async def delete(self, symbol: Symbol) -> None:
        await self._kv.delete(symbol_key(symbol), validate_keys=False)

    async def _bounded_get(self, symbol: Symbol) -> StreamCursor | None:
        async with self._slots:
            return await self.get(symbol)

    async def _put(self, symbol: Symbol, cursor: StreamCursor, now: int) -> None:
        value = {
            "symbol": str(symbol),
            "last_quote_ts": cursor.last_quote_ts,
            "follow_ups": [
                {"interval": f.interval.value, "start": f.start, "end": f.end}
                for f in cursor.follow_ups
            ],
            "shard": self._shard,
            "updated_at": now,
        }
        async with self._slots:
            await self._kv.put(symbol_key(symbol), encode(value), validate_keys=False)


def _cursor_of(symbol: Symbol, value: Mapping[str, Any]) -> StreamCursor:
    follow_ups = tuple(
        FollowUp(symbol, Interval.parse(str(f["interval"])), int(f["start"]), int(f["end"]))
        for f in value.get("follow_ups", ())
    )
    return StreamCursor(int(value["last_quote_ts"]), follow_ups)
