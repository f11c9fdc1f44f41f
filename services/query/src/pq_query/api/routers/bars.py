"""GET /v1/bars: a page of bars, from the hot-range cache or the read model."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from starlette.responses import Response

from pq_domain import Interval, InvalidInterval, InvalidSymbol, Symbol

from ...model.cursor import Cursor, Direction, InvalidCursor
from ...model.pages import DEFAULT_LIMIT, MAX_LIMIT, BarQuery, Fill
from ...model.times import InvalidInstant, parse_instant
from ..bar_pages import page_body
from ..deps import ResourcesDep
from ..problems import invalid

router = APIRouter(prefix="/v1/bars", tags=["bars"])


def _instant(field: str, text: str | None) -> int | None:
    if text is None:
        return None
    try:
        return parse_instant(text)
    except InvalidInstant as exc:
        raise invalid(field, str(exc)) from None


def bar_query(
    symbol: str,
    interval: str,
    start: str | None,
    end: str | None,
    limit: int,
    cursor: str | None,
    sort: Direction,
    fill: Fill,
) -> BarQuery:
    try:
        canonical = str(Symbol.parse(symbol))
    except InvalidSymbol as exc:
        raise invalid("query.symbol", str(exc)) from None
    try:
        parsed_interval = Interval.parse(interval)
    except InvalidInterval as exc:
        raise invalid("query.interval", str(exc)) from None
    low, high = _instant("query.start", start), _instant("query.end", end)
    if low is not None and high is not None and low >= high:
        raise invalid("query.end", "must be after start")
    position = None
    if cursor is not None:
        try:
            position = Cursor.decode(cursor)
        except InvalidCursor as exc:
            raise invalid("query.cursor", str(exc)) from None
        if position.direction != sort:
            raise invalid("query.cursor", f"cursor was made for sort={position.direction}")
    return BarQuery(canonical, parsed_interval.value, low, high, limit, sort, position, fill)


@router.get("", summary="Bars of one symbol and interval, cursor-paginated")
async def list_bars(
    r: ResourcesDep,
    symbol: Annotated[str, Query(max_length=64)],
    interval: Annotated[str, Query(max_length=8)],
    start: Annotated[str | None, Query(description="Inclusive; RFC 3339 or epoch ms")] = None,
    end: Annotated[str | None, Query(description="Exclusive; RFC 3339 or epoch ms")] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT,
    cursor: Annotated[str | None, Query(max_length=512)] = None,
    sort: Annotated[Direction, Query()] = "asc",
    fill: Annotated[Fill, Query()] = "none",
) -> Response:
    q = bar_query(symbol, interval, start, end, limit, cursor, sort, fill)
    live = r.live.current
    if r.cache is None:
        return Response(await page_body(live.reader, q), media_type="application/json")
    field = q.cache_field()
    cached = await r.cache.get(live.generation, q.symbol, q.interval, field)
    if cached.body is not None:
        return Response(cached.body, media_type="application/json")
    body = await page_body(live.reader, q)
    await r.cache.put(cached, field, body)
    return Response(body, media_type="application/json")
