"""GET /v1/bars: validated here, served by the query service (bytes passed through).

GET requests are answered by the fast path (middleware/forwarded_reads.py) through
`forward_bars`; the route stays declared so that the OpenAPI document describes it.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from ..adapters.query_forwarder import QueryForwarder
from ..deps import CorrelationIdDep, QueryForwarderDep, TraceparentDep
from ..problems import invalid, problem_responses
from ..schemas.bars_query import BarsQuery
from ..schemas.market import BarsPage

router = APIRouter(prefix="/v1/bars", tags=["bars"])


async def forward_bars(
    query: QueryForwarder,
    params: BarsQuery,
    query_string: str,
    *,
    correlation_id: str,
    traceparent: str | None,
) -> Response:
    """The cross-field rule, then the query service's answer for the raw query string."""
    if params.start is not None and params.end is not None and params.start >= params.end:
        raise invalid("query.end", "must be after start")
    return await query.get(
        "/v1/bars",
        query_string,
        correlation_id=correlation_id,
        traceparent=traceparent,
        not_found_detail=f"no bars for {params.symbol} {params.interval.value}",
    )


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
    params: Annotated[BarsQuery, Query()],
) -> Response:
    return await forward_bars(
        query,
        params,
        request.url.query,
        correlation_id=correlation_id,
        traceparent=traceparent,
    )
