"""The hot-range cache: a repeated read is a hit; a projected change is visible at once;
Redis down means reads from the store."""

from __future__ import annotations

import httpx

from pq_domain import Bar, Interval
from pq_query.main import create_app
from tests.support.waiting import wait_for

from .conftest import OwnRedis, RunningQuery
from .events import T0, H, hourly_bars, publish_live, publish_sync, unique_symbol


def cache_count(q: RunningQuery, result: str) -> float:
    count: float = q.resources.metrics.cache.labels(result)._value.get()
    return count


async def test_a_projected_change_invalidates_cached_pages(query_service: RunningQuery) -> None:
    js, symbol = query_service.js, unique_symbol()
    await publish_sync(js, "job-cache", symbol, Interval.H1, hourly_bars(10))
    await query_service.projected()
    params = {"symbol": str(symbol), "interval": "1h"}
    first = await query_service.get_json("/v1/bars", **params)
    hits = cache_count(query_service, "hit")

    async def served_from_cache() -> bool:
        # The page is cached after its answer is sent (a background task): on a loaded
        # machine the next read may still come before it. Every read equals the first.
        assert await query_service.get_json("/v1/bars", **params) == first
        return cache_count(query_service, "hit") == hits + 1

    await wait_for(served_from_cache, timeout=10, what="a repeated read from the cache")

    await publish_live(js, symbol, Interval.H1, Bar(T0 + 10 * H, 5, 6, 4, 5.5, 1))
    await query_service.projected()
    after = await query_service.get_json("/v1/bars", **params)
    assert len(after["bars"]) == 11
    assert after["bars"][-1]["c"] == 5.5


async def test_reads_go_to_the_store_while_redis_is_down(own_redis: OwnRedis) -> None:
    redis = own_redis.redis
    app = create_app(own_redis.settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://q") as client:
            redis.stop()
            params = {"symbol": "NASDAQ:AAPL", "interval": "1h"}
            answer = await client.get("/v1/bars", params=params)
            assert answer.status_code == 200
            assert answer.json()["bars"] == []
            health = await client.get("/health")
            assert health.status_code == 503
            assert health.json()["dependencies"]["redis"]["status"] == "down"
