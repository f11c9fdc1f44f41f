"""Conditional GETs of bars pages: an ETag on each page, 304 while the client's copy is
current, the full page once the bars change, and never a 304 for a copy Redis forgot."""

from __future__ import annotations

from redis.asyncio import Redis

from pq_domain import Bar, Interval

from .conftest import OwnRedis, RunningQuery, running_query
from .events import T0, H, hourly_bars, publish_live, publish_sync, unique_symbol


async def test_a_current_copy_is_answered_304_and_a_changed_page_in_full(
    query_service: RunningQuery,
) -> None:
    js, symbol = query_service.js, unique_symbol()
    await publish_sync(js, "job-etag", symbol, Interval.H1, hourly_bars(10))
    await query_service.projected()
    url = f"/v1/bars?symbol={symbol}&interval=1h"

    first = await query_service.client.get(url)
    assert first.status_code == 200
    etag = first.headers["etag"]
    assert etag.startswith('W/"')
    assert first.headers["cache-control"] == "no-cache"

    for if_none_match in (etag, f'"other", {etag}', etag.removeprefix("W/"), "*"):
        again = await query_service.client.get(url, headers={"If-None-Match": if_none_match})
        assert again.status_code == 304, if_none_match
        assert again.content == b""
        assert again.headers["etag"] == etag

    # The tag of another page of the same bars, a stale-looking tag and garbage: full pages.
    other = await query_service.client.get(url + "&limit=5")
    assert other.headers["etag"] != etag
    for if_none_match in (other.headers["etag"], 'W/"1.00000000.1"', "not a tag"):
        full = await query_service.client.get(url, headers={"If-None-Match": if_none_match})
        assert full.status_code == 200, if_none_match
        assert full.content == first.content

    await publish_live(js, symbol, Interval.H1, Bar(T0 + 10 * H, 5, 6, 4, 5.5, 1))
    await query_service.projected()
    changed = await query_service.client.get(url, headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert len(changed.json()["bars"]) == 11
    assert changed.headers["etag"] != etag


async def test_a_copy_from_before_redis_lost_its_data_is_never_304(own_redis: OwnRedis) -> None:
    async with running_query(own_redis.settings) as query:
        symbol = unique_symbol()
        await publish_sync(query.js, "job-lost", symbol, Interval.H1, hourly_bars(3))
        await query.projected()
        url = f"/v1/bars?symbol={symbol}&interval=1h"
        before = await query.client.get(url)
        assert len(before.json()["bars"]) == 3

        lost = Redis.from_url(own_redis.redis.url)
        await lost.flushall()
        await lost.aclose()
        # Written after Redis lost every version: a restarted count must not meet old tags.
        later = hourly_bars(4, start=T0 + 3 * H)
        await publish_sync(query.js, "job-after", symbol, Interval.H1, later)
        await query.projected()

        after = await query.client.get(url, headers={"If-None-Match": before.headers["etag"]})
        assert after.status_code == 200
        assert len(after.json()["bars"]) == 7
        assert after.headers["etag"] != before.headers["etag"]
