"""Dynamic sharding: instances split the watchlist without overlap, survivors take over."""

from __future__ import annotations

import json
import time

from nats.js import JetStreamContext

from pq_domain import Symbol
from pq_domain.buckets import STREAM_STATUS
from pq_ingest_stream.bootstrap import RunningService
from tests.support.waiting import wait_for

from .conftest import ShardSettings, shard
from .probes import Watchlist, kv_values, last_seq

TEN = (
    "NASDAQ:AAPL", "NASDAQ:MSFT", "NASDAQ:NVDA", "NASDAQ:AMZN", "NASDAQ:GOOGL",
    "NASDAQ:TSLA", "NYSE:JPM", "NYSE:KO", "BINANCE:BTCUSDT", "BINANCE:ETHUSDT",
)  # fmt: skip
ALL = frozenset(Symbol.parse(s) for s in TEN)


def _split(*services: RunningService) -> bool:
    owned = [s.keeper.owned for s in services]
    disjoint = sum(len(o) for o in owned) == len(frozenset().union(*owned))
    return disjoint and frozenset().union(*owned) == ALL and all(owned)


async def _async(value: bool) -> bool:
    return value


async def test_two_shards_split_ten_symbols_and_the_survivor_takes_all(
    js: JetStreamContext, watchlist: Watchlist, shard_settings: ShardSettings
) -> None:
    await watchlist.add(*TEN)
    settings = shard_settings
    async with shard(settings.make(shard_id="alpha")) as alpha:
        async with shard(settings.make(shard_id="beta")) as beta:
            await wait_for(lambda: _async(_split(alpha, beta)), timeout=10, what="a clean split")

            async def every_symbol_flowing() -> bool:
                return all([await last_seq(js, s) > 0 for s in TEN])

            await wait_for(every_symbol_flowing, timeout=15, what="quotes of all ten")
            # The status page agrees with the shards: no overlap, full coverage.
            kv = await js.key_value(STREAM_STATUS)

            async def status_split() -> bool:
                entries = await kv_values(kv)
                listed = [set(entries[s]["symbols"]) for s in ("alpha", "beta") if s in entries]
                return (
                    len(listed) == 2
                    and not listed[0] & listed[1]
                    and (listed[0] | listed[1] == set(TEN))
                )

            await wait_for(status_split, timeout=5, what="status entries split the ten")
            stopped_at = time.monotonic()
        await wait_for(
            lambda: _async(alpha.keeper.owned == ALL),
            timeout=settings.make().member_ttl_s,
            what="alpha owning all ten within the TTL",
        )
        assert time.monotonic() - stopped_at <= settings.make().member_ttl_s
        marks = {s: await last_seq(js, s) for s in TEN}

        async def all_still_flowing() -> bool:
            return all([await last_seq(js, s) > marks[s] for s in TEN])

        await wait_for(all_still_flowing, timeout=10, what="all ten flowing through alpha")


async def test_a_dead_members_symbols_move_once_its_heartbeat_ages_out(
    js: JetStreamContext, watchlist: Watchlist, shard_settings: ShardSettings
) -> None:
    """A member that stops heartbeating without saying goodbye (SIGKILL) is dead after the TTL."""
    await watchlist.add(*TEN)
    settings = shard_settings.make(shard_id="alpha")
    async with shard(settings) as alpha:
        kv = await js.key_value(STREAM_STATUS)
        ghost = {
            "shard": "ghost", "connected": True, "symbols": [], "last_quote_at": None,
            "reconnects": 0, "updated_at": int(time.time() * 1000),
        }  # fmt: skip
        await kv.put("ghost", json.dumps(ghost).encode())
        await wait_for(
            lambda: _async(0 < len(alpha.keeper.owned) < len(TEN)),
            timeout=5,
            what="alpha leaving the ghost its share",
        )
        died_at = time.monotonic()
        await wait_for(
            lambda: _async(alpha.keeper.owned == ALL),
            timeout=settings.member_ttl_s + 2 * settings.heartbeat_s,
            what="alpha taking the ghost's share",
        )
        assert time.monotonic() - died_at <= settings.member_ttl_s + 2 * settings.heartbeat_s
