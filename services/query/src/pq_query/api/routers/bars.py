"""GET /v1/bars: a page of bars, from the hot-range cache or the read model.

The declared route: its parameters make the OpenAPI document and their validation the
reference. Requests it would certainly accept are answered before FastAPI sees them,
by the same code (api/bars_hot_path.py); the rest come here.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Query
from starlette.background import BackgroundTask
from starlette.responses import Response

from pq_runtime.http.conditional import CACHE_CONTROL, ETAG, REVALIDATE_EACH_TIME
from pq_runtime.http.media_types import ACCEPTED, negotiate_bars

from ...model.cursor import Direction
from ...model.pages import DEFAULT_LIMIT, MAX_LIMIT, Fill
from ..bar_pages import serve_page
from ..bar_params import CURSOR_MAX, INTERVAL_MAX, SYMBOL_MAX, bar_query
from ..deps import ResourcesDep
from ..encoding import coverage_header
from ..export import export_response
from ..export.response import COVERAGE_HEADER
from ..problems import not_acceptable

router = APIRouter(prefix="/v1/bars", tags=["bars"])


@router.get("", summary="Bars of one symbol and interval, cursor-paginated")
async def list_bars(
    r: ResourcesDep,
    symbol: Annotated[str, Query(max_length=SYMBOL_MAX)],
    interval: Annotated[str, Query(max_length=INTERVAL_MAX)],
    start: Annotated[str | None, Query(description="Inclusive; RFC 3339 or epoch ms")] = None,
    end: Annotated[str | None, Query(description="Exclusive; RFC 3339 or epoch ms")] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT,
    cursor: Annotated[str | None, Query(max_length=CURSOR_MAX)] = None,
    sort: Annotated[Direction, Query()] = "asc",
    fill: Annotated[Fill, Query()] = "none",
    accept: Annotated[str | None, Header()] = None,
    if_none_match: Annotated[str | None, Header()] = None,
) -> Response:
    media_type = negotiate_bars(accept)
    if media_type is None:
        raise not_acceptable(f"Accept {accept!r}: this resource answers in {ACCEPTED}")
    q = bar_query(symbol, interval, start, end, limit, cursor, sort, fill)
    if media_type.is_export:
        return await export_response(r, q, media_type)
    answer = await serve_page(r, q, if_none_match)
    headers = (
        {} if answer.etag is None else {ETAG: answer.etag, CACHE_CONTROL: REVALIDATE_EACH_TIME}
    )
    if answer.body is None:
        return Response(status_code=304, headers=headers)
    coverage = coverage_header(answer.body)
    if coverage is not None:
        headers[COVERAGE_HEADER] = coverage
    write = answer.cache_write
    background = None if write is None else BackgroundTask(write)
    return Response(
        answer.body, media_type="application/json", headers=headers, background=background
    )
