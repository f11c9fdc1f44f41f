"""Response bodies, encoded with msgspec (no per-bar pydantic models on the hot path)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import msgspec

from pq_domain import ALL_INTERVALS
from pq_domain.instants import format_instant, utc_datetime
from pq_domain.rest_shapes import IntervalCoverage, SymbolPublic, SymbolsList

from ..model.coverage import CoveredRange
from ..model.fill import PageBar, StoredBar
from ..model.symbols import SymbolView

_encoder = msgspec.json.Encoder()
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_NO_STEP = timedelta(0)
_INTERVAL_ORDER = {interval.value: i for i, interval in enumerate(ALL_INTERVALS)}


class BarPublic(msgspec.Struct, omit_defaults=True, gc=False):  # no cycles: no GC tracking
    t: datetime
    o: float
    h: float
    l: float
    c: float
    v: float
    filled: bool = False  # only written when true


class CoveragePublic(msgspec.Struct):
    start: str
    end: str


class BarsPage(msgspec.Struct):
    symbol: str
    interval: str
    bars: list[BarPublic]
    next_cursor: str | None
    coverage: CoveragePublic | None  # last: `coverage_header` reads it from the tail


def coverage_public(covered: CoveredRange | None) -> CoveragePublic | None:
    return (
        None
        if covered is None
        else CoveragePublic(format_instant(covered.start), format_instant(covered.end))
    )


_COVERAGE_KEY = b',"coverage":{"start":"'


def coverage_header(body: bytes) -> str | None:
    """The `Pq-Coverage` value of an encoded page (cached pages are bytes only): the
    page's last field, so found from the end whatever the bars hold."""
    at = body.rfind(_COVERAGE_KEY)
    if at < 0:
        return None
    start, _, rest = body[at + len(_COVERAGE_KEY) :].partition(b'","end":"')
    end = rest.partition(b'"')[0]
    return f"{start.decode()}/{end.decode()}"


def bars_page(
    symbol: str,
    interval: str,
    bars: list[PageBar],
    cursor: str | None,
    coverage: CoveragePublic | None = None,
) -> bytes:
    out = [
        BarPublic(utc_datetime(b.t), b.o, b.h, b.l, b.c, b.v, b.filled)
        for b in bars
    ]  # fmt: skip
    return _encoder.encode(BarsPage(symbol, interval, out, cursor, coverage))


def stored_page(
    symbol: str,
    interval: str,
    rows: Sequence[StoredBar],
    cursor: str | None,
    coverage: CoveragePublic | None = None,
) -> bytes:
    """`bars_page` of rows as the store returned them: one struct per bar, nothing more.

    Making each bar's datetime was most of the cost: a bar at the same distance from the
    one before as that one from its own predecessor (most bars of a page) takes the
    previous datetime plus that timedelta, which is exact, as `utc_datetime` is."""
    out: list[BarPublic] = []
    append = out.append
    prev_t, prev_dt, step, step_td = 0, _EPOCH, None, _NO_STEP
    for t, o, h, l, c, v in rows:
        if t - prev_t == step:
            dt = prev_dt + step_td
        else:
            dt = utc_datetime(t)
            step = t - prev_t
            step_td = timedelta(milliseconds=step)
        append(BarPublic(dt, o, h, l, c, v))
        prev_t, prev_dt = t, dt
    return _encoder.encode(BarsPage(symbol, interval, out, cursor, coverage))


def symbol_public(view: SymbolView) -> SymbolPublic:
    intervals = [
        IntervalCoverage(c.interval, format_instant(c.first_t), format_instant(c.last_t), c.bars)
        for c in sorted(view.coverage, key=lambda c: _INTERVAL_ORDER.get(c.interval, 99))
    ]
    if view.meta is None:
        return SymbolPublic(view.symbol, intervals)
    m = view.meta.resolved
    return SymbolPublic(
        view.symbol, intervals, m.description, m.type, m.currency, m.exchange,
        m.timezone, m.session, m.pricescale, m.delayed,
    )  # fmt: skip


def symbol_body(view: SymbolView) -> bytes:
    return _encoder.encode(symbol_public(view))


def symbols_body(views: list[SymbolView]) -> bytes:
    return _encoder.encode(SymbolsList([symbol_public(v) for v in views]))
