"""GET /v1/bars: validated here, served by the query service (bytes passed through)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request, Response

from pq_domain import Interval

from ..deps import CorrelationIdDep, QueryForwarderDep, TraceparentDep
from ..problems import invalid, problem_responses
from ..schemas.fields import Instant, SymbolText
from ..schemas.market import BarsPage

router = APIRouter(prefix="/v1/bars", tags=["bars"])

MAX_LIMIT = 10_000


@router.get(
    "",
    response_model=BarsPage,
    responses=problem_responses(404, 422, 502, 503),
    summary="Bars of one symbol and interval, ascending by t, cursor-paginated",
)
async def list_bars(
    request: Request,
    query: QueryForwarderDep,
    correlation_id: CorrelationIdDep,
    traceparent: TraceparentDep,
    symbol: Annotated[SymbolText, Query()],
    interval: Annotated[Interval, Query()],
    start: Annotated[Instant | None, Query(description="Inclusive; RFC 3339 or epoch ms")] = None,
    end: Annotated[Instant | None, Query(description="Exclusive; RFC 3339 or epoch ms")] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 1000,
    cursor: Annotated[str | None, Query(max_length=512, description="From next_cursor")] = None,
    sort: Annotated[Literal["asc", "desc"], Query()] = "asc",
    fill: Annotated[
        Literal["none", "prev"], Query(description="`prev`: flat bars where nothing traded")
    ] = "none",
) -> Response:
    if start is not None and end is not None and start >= end:
        raise invalid("query.end", "must be after start")
    return await query.get(
        "/v1/bars",
        request.url.query,
        correlation_id=correlation_id,
        traceparent=traceparent,
        not_found_detail=f"no bars for {symbol} {interval.value}",
    )
