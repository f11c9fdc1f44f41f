"""Latest quote per symbol: a hash {ts, json}; `json` is the public QuotePublic body."""

from __future__ import annotations

from collections.abc import Sequence

import msgspec
from redis.asyncio import Redis

from pq_domain.events import QuoteReceived
from pq_domain.instants import format_instant

_KEY = "pq:query:quote:"

# Keep the stored quote when it is newer: replays and redeliveries never go backwards.
_PUT_IF_NEWER = """
local held = redis.call('HGET', KEYS[1], 'ts')
if held and tonumber(held) > tonumber(ARGV[1]) then return 0 end
redis.call('HSET', KEYS[1], 'ts', ARGV[1], 'json', ARGV[2])
return 1
"""


class QuotePublic(msgspec.Struct):
    symbol: str
    price: float
    volume: float
    bid: float | None
    ask: float | None
    ts: str
    delayed: bool


_encode = msgspec.json.Encoder().encode


def quote_body(q: QuoteReceived) -> bytes:
    return _encode(
        QuotePublic(str(q.symbol), q.price, q.volume, q.bid, q.ask, format_instant(q.ts), q.delayed)
    )


class LatestQuotes:
    def __init__(self, redis: Redis) -> None:
        self._redis = redis
        self._put = redis.register_script(_PUT_IF_NEWER)

    async def put_many(self, quotes: Sequence[QuoteReceived]) -> None:
        if not quotes:
            return
        async with self._redis.pipeline(transaction=False) as pipe:
            for q in quotes:
                await self._put(
                    keys=[_KEY + str(q.symbol)], args=[q.ts, quote_body(q)], client=pipe
                )
            await pipe.execute()

    async def get(self, symbol: str) -> bytes | None:
        body = await self._redis.hget(_KEY + symbol, "json")
        return body.encode() if isinstance(body, str) else body
