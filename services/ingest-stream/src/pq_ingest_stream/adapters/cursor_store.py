"""PQ_STREAM_CURSORS: the newest quote time per symbol, durable across restarts and shards.

Whoever owns a symbol next (this instance after a restart, or the shard that takes over
from a dead one) starts the symbol's backfill from its cursor.
"""

from __future__ import annotations

import asyncio
import time

import structlog
from nats.js.errors import KeyNotFoundError
from nats.js.kv import KeyValue

from pq_domain import Symbol
from pq_runtime.codec import CodecError, decode, encode

from .kv_buckets import symbol_key

log = structlog.get_logger(__name__)
CONCURRENCY = 64  # KV round trips in flight per flush


class KvCursorStore:
    def __init__(self, kv: KeyValue, *, shard: str) -> None:
        self._kv = kv
        self._shard = shard
        self._slots = asyncio.Semaphore(CONCURRENCY)

    async def get(self, symbol: Symbol) -> int | None:
        try:
            entry = await self._kv.get(symbol_key(symbol), validate_keys=False)
        except KeyNotFoundError:
            return None
        try:
            return int(decode(entry.value or b"")["last_quote_ts"])
        except (CodecError, KeyError, TypeError, ValueError):
            log.warning("cursor.malformed", symbol=str(symbol))
            return None

    async def get_many(self, symbols: list[Symbol]) -> dict[Symbol, int | None]:
        values = await asyncio.gather(*(self._bounded_get(s) for s in symbols))
        return dict(zip(symbols, values, strict=True))

    async def put_many(self, cursors: dict[Symbol, int]) -> None:
        now = int(time.time() * 1000)
        await asyncio.gather(*(self._put(s, ts, now) for s, ts in cursors.items()))

    async def delete(self, symbol: Symbol) -> None:
        await self._kv.delete(symbol_key(symbol), validate_keys=False)

    async def _bounded_get(self, symbol: Symbol) -> int | None:
        async with self._slots:
            return await self.get(symbol)

    async def _put(self, symbol: Symbol, ts: int, now: int) -> None:
        value = {
            "symbol": str(symbol),
            "last_quote_ts": ts,
            "shard": self._shard,
            "updated_at": now,
        }
        async with self._slots:
            await self._kv.put(symbol_key(symbol), encode(value), validate_keys=False)
