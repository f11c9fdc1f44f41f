"""`fill=prev`: flat bars for empty intraday buckets between stored bars, never stored.

The empty buckets are the symbol's session grid (`pq_domain.BucketGrid`): bars keyed
session_open + k * interval, none between a close and the next open, none on days the
session does not trade (weekends), so a flat bar has a key a real bar could have.

A flat bar has o = h = l = c = the close of the bar before it (in time) and v = 0.
Only gaps *between* two stored bars are filled (never before the first or after the
last), so a page never invents history outside what was recorded. The page `limit`
counts every bar returned, flat ones included; the cursor names the last `t` returned,
so a gap that straddles two pages continues on the next one.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple, Protocol

# t, o, h, l, c, v: a stored bar as the store's driver returns it (a plain tuple).
StoredBar = tuple[int, float, float, float, float, float]


class KeyGrid(Protocol):
    """The bar keys of one interval of one symbol (pq_domain.BucketGrid)."""

    def next_key(self, t: int) -> int: ...

    def previous_key(self, t: int) -> int: ...


class PageBar(NamedTuple):
    t: int
    o: float
    h: float
    l: float
    c: float
    v: float
    filled: bool


def fill_ascending(
    rows: Sequence[StoredBar],
    grid: KeyGrid,
    limit: int,
    *,
    after: int | None,
    prev_close: float | None,
) -> list[PageBar]:
    """Ascending page: `rows` have t > `after` (the cursor); `prev_close` is the close of
    the last stored bar at or before `after` (None on a first page)."""
    out: list[PageBar] = []
    next_key = grid.next_key
    expected = None if after is None else next_key(after)
    close = prev_close
    for row in rows:
        row_t, row_c = row[0], row[4]
        if expected is not None and close is not None:
            t = expected
            while t < row_t and len(out) < limit:
                out.append(PageBar(t, close, close, close, close, 0.0, True))
                t = next_key(t)
        if len(out) >= limit:
            break
        out.append(PageBar(*row, False))
        close, expected = row_c, next_key(row_t)
    return out


def fill_descending(
    rows: Sequence[StoredBar], grid: KeyGrid, limit: int, *, before: int | None
) -> list[PageBar]:
    """Descending page: `rows` have t < `before` (the cursor), newest first. The flat bars
    between a bar and the older one take the older bar's close, so no lookup is needed."""
    out: list[PageBar] = []
    previous_key = grid.previous_key
    newer = before
    for row in rows:
        row_t, row_c = row[0], row[4]
        if newer is not None:
            t = previous_key(newer)
            while t > row_t and len(out) < limit:
                out.append(PageBar(t, row_c, row_c, row_c, row_c, 0.0, True))
                t = previous_key(t)
        if len(out) >= limit:
            break
        out.append(PageBar(*row, False))
        newer = row_t
    return out
