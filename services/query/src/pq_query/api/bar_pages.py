"""One page of bars: stored rows (plus flat bars for fill=prev), the next cursor, the bytes."""

from __future__ import annotations

from pq_domain import Interval

from ..model.cursor import Cursor
from ..model.fill import PageBar, fill_ascending, fill_descending, plain
from ..model.pages import BarQuery
from ..ports import BarModelReader
from .encoding import bars_page


async def read_page(reader: BarModelReader, q: BarQuery) -> tuple[list[PageBar], str | None]:
    low, high = q.bounds()
    asc = q.direction == "asc"
    # One row more than the page: tells whether another page follows.
    rows = await reader.bars(q.symbol, q.interval, low, high, asc, q.limit + 1)
    interval = Interval(q.interval)
    if q.fill == "none" or not interval.is_intraday:
        page = plain(rows, q.limit)
        more = len(rows) > q.limit
    elif asc:
        after = None if q.cursor is None else q.cursor.last_t
        prev_close = None
        if after is not None:
            prev_close = await reader.close_at_or_before(q.symbol, q.interval, after)
        page = fill_ascending(rows, interval.millis, q.limit, after=after, prev_close=prev_close)
        more = bool(page) and rows[-1].t > page[-1].t
    else:
        before = None if q.cursor is None else q.cursor.last_t
        page = fill_descending(rows, interval.millis, q.limit, before=before)
        more = bool(page) and rows[-1].t < page[-1].t
    cursor = Cursor(page[-1].t, q.direction).encode() if more and page else None
    return page, cursor


async def page_body(reader: BarModelReader, q: BarQuery) -> bytes:
    page, cursor = await read_page(reader, q)
    return bars_page(q.symbol, q.interval, page, cursor)
