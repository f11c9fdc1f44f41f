"""One page of bars as response bytes: from the hot-range cache, or read and encoded.

Stored rows go straight from the driver's tuples to JSON (no per-bar model but the
encoder's struct); only fill=prev builds page bars, for the flat ones between them.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from pq_domain import BucketGrid, Interval, Symbol, default_session
from pq_runtime.http.conditional import none_match

from ..model.coverage import covered_range
from ..model.cursor import Cursor
from ..model.fill import fill_ascending, fill_descending
from ..model.pages import BarQuery
from ..ports import BarModelReader
from ..resources import QueryResources
from .encoding import bars_page, coverage_public, stored_page
from .page_validators import PageValidator

CacheWrite = Callable[[], Awaitable[None]]


async def page_body(reader: BarModelReader, q: BarQuery) -> bytes:
    low, high = q.bounds()
    asc = q.direction == "asc"
    # One row more than the page: tells whether another page follows. The coverage is
    # read beside it (the read pool has more than one connection).
    rows, view = await asyncio.gather(
        reader.bars(q.symbol, q.interval, low, high, asc, q.limit + 1), reader.symbol(q.symbol)
    )
    coverage = coverage_public(covered_range(view, q.interval))
    interval = Interval(q.interval)
    if q.fill == "none" or not interval.is_intraday:
        more = len(rows) > q.limit
        if more:
            del rows[q.limit :]
        cursor = Cursor(rows[-1][0], q.direction).encode() if more else None
        return stored_page(q.symbol, q.interval, rows, cursor, coverage)
    symbol = Symbol.parse(q.symbol)
    grid = BucketGrid(interval, default_session(symbol.exchange, symbol.code))
    if asc:
        after = None if q.cursor is None else q.cursor.last_t
        prev_close = None
        if after is not None:
            prev_close = await reader.close_at_or_before(q.symbol, q.interval, after)
        page = fill_ascending(rows, grid, q.limit, after=after, prev_close=prev_close)
        more = bool(page) and rows[-1][0] > page[-1].t
    else:
        before = None if q.cursor is None else q.cursor.last_t
        page = fill_descending(rows, grid, q.limit, before=before)
        more = bool(page) and rows[-1][0] < page[-1].t
    cursor = Cursor(page[-1].t, q.direction).encode() if more and page else None
    return bars_page(q.symbol, q.interval, page, cursor, coverage)


@dataclass(frozen=True, slots=True)
class PageAnswer:
    body: bytes | None  # None: the client's copy (If-None-Match) is current, answer 304
    etag: str | None  # None without the cache: nothing tells versions apart then
    cache_write: CacheWrite | None  # on a miss: run it once the response is sent


async def serve_page(
    r: QueryResources, q: BarQuery, if_none_match: str | None = None
) -> PageAnswer:
    """The page's bytes and ETag, or only the ETag when the client's copy is current.
    On a cache miss, also the write that caches the page: the caller runs it once the
    response is sent, so a client never waits on it."""
    live = r.live.current
    if r.cache is None:
        return PageAnswer(await page_body(live.reader, q), None, None)
    cache, field = r.cache, q.cache_field()
    validator = PageValidator(live.generation, field)
    known = validator.version_in(if_none_match)
    cached = await cache.get(live.generation, q.symbol, q.interval, field, known)
    etag = None if cached.version is None else validator.etag(cached.version)
    if etag is not None and not none_match(if_none_match, etag):
        return PageAnswer(None, etag, None)  # `known` was current, or `*` was asked
    if cached.body is not None:
        return PageAnswer(cached.body, etag, None)
    body = await page_body(live.reader, q)
    return PageAnswer(body, etag, lambda: cache.put(cached, field, body))
