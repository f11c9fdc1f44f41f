"""GET /v1/bars parameters -> a BarQuery, or a problem naming the field.

Two layers, as FastAPI applies them on the declared route (routers/bars.py): first the
declared types and bounds (a missing or too long value, a limit out of range, an
unknown sort or fill: pydantic's errors, every field at once), then `bar_query` (symbol,
interval, instants, cursor: the first wrong one). `plain_params` is the hot path's
reading of the first layer: it accepts only values that certainly pass it, read the
way Starlette and FastAPI read them; anything else is left to the declared route, so
errors keep pydantic's exact wording.
"""

from __future__ import annotations

from urllib.parse import parse_qsl

from pq_domain import Interval, InvalidInterval, InvalidSymbol, Symbol
from pq_domain.instants import InvalidInstant, parse_instant

from ..model.cursor import Cursor, Direction, InvalidCursor
from ..model.pages import DEFAULT_LIMIT, MAX_LIMIT, BarQuery, Fill
from .problems import invalid

SYMBOL_MAX, INTERVAL_MAX, CURSOR_MAX = 64, 8, 512
_SORTS: dict[str | None, Direction] = {None: "asc", "asc": "asc", "desc": "desc"}
_FILLS: dict[str | None, Fill] = {None: "none", "none": "none", "prev": "prev"}


def plain_params(
    query_string: bytes,
) -> tuple[str, str, str | None, str | None, int, str | None, Direction, Fill] | None:
    """(symbol, interval, start, end, limit, cursor, sort, fill) when the declared types
    certainly accept them; None to let the declared route answer."""
    # As Starlette's QueryParams: latin-1, `&` only, blanks kept, the last value wins.
    params = dict(parse_qsl(query_string.decode("latin-1"), keep_blank_values=True))
    get = params.get
    symbol, interval, cursor = get("symbol"), get("interval"), get("cursor")
    sort, fill = _SORTS.get(get("sort")), _FILLS.get(get("fill"))
    limit = _limit(get("limit"))
    if (
        symbol is None
        or len(symbol) > SYMBOL_MAX
        or interval is None
        or len(interval) > INTERVAL_MAX
        or (cursor is not None and len(cursor) > CURSOR_MAX)
        or limit is None
        or sort is None
        or fill is None
    ):
        return None
    return symbol, interval, get("start"), get("end"), limit, cursor, sort, fill


def _limit(text: str | None) -> int | None:
    """Plain decimal digits in range only (pydantic also takes " 5", "+5", "5.0", ...)."""
    if text is None:
        return DEFAULT_LIMIT
    if not (text.isascii() and text.isdigit() and text[0] != "0" and len(text) <= 5):
        return None
    value = int(text)
    return value if value <= MAX_LIMIT else None


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
