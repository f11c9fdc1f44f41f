"""GET /v1/bars: validated here, served by the query service (bytes passed through).

GET requests are answered by the fast path (api/forwarded_reads.py) through
`forward_bars`; the route stays declared so that the OpenAPI document describes it.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Header, Query, Request, Response

from pq_runtime.http.media_types import ACCEPTED, negotiate_bars

from ...adapters.export_forwarder import forward_export
from ...adapters.query_forwarder import QueryForwarder
from ..deps import CorrelationIdDep, QueryForwarderDep, TraceparentDep
from ..problems import ProblemError, invalid, problem_responses
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
    accept: str | None = None,
    if_none_match: str | None = None,
) -> Response:
    """The cross-field rule, then the query service's answer for the raw query string:
    a JSON page, or a bulk export streamed through (`Accept`)."""
    media_type = negotiate_bars(accept)
    if media_type is None:
        raise ProblemError(406, f"Accept {accept!r}: /v1/bars answers in {ACCEPTED}")
    if params.start is not None and params.end is not None and params.start >= params.end:
        raise invalid("query.end", "must be after start")
    if media_type.is_export:
        return await forward_export(
            query.upstream,
            query_string,
            media_type,
            correlation_id=correlation_id,
            traceparent=traceparent,
            not_found_detail=f"no bars for {params.symbol} {params.interval.value}",
        )
    return await query.get(
        "/v1/bars",
        query_string,
        correlation_id=correlation_id,
        traceparent=traceparent,
        not_found_detail=f"no bars for {params.symbol} {params.interval.value}",
        if_none_match=if_none_match,
    )


_NOT_MODIFIED: dict[int | str, dict[str, Any]] = {
    304: {"description": "The page the `If-None-Match` tag stands for is current: no body."}
}


@router.get(
    "",
    response_model=BarsPage,
    responses={**_NOT_MODIFIED, **problem_responses(404, 422, 502, 503)},
    summary="Bars of one symbol and interval, ascending by t, cursor-paginated",
    description="JSON pages carry an `ETag`; send it back as `If-None-Match` to be "
    "answered 304 while the page's bars have not changed.",
)
async def list_bars(
    request: Request,
    query: QueryForwarderDep,
    correlation_id: CorrelationIdDep,
    traceparent: TraceparentDep,
    params: Annotated[BarsQuery, Query()],
    if_none_match: Annotated[
        str | None, Header(description="The `ETag` of the page the client holds")
    ] = None,
) -> Response:
    return await forward_bars(
        query,
        params,
        request.url.query,
        correlation_id=correlation_id,
        traceparent=traceparent,
        accept=request.headers.get("accept"),
        if_none_match=if_none_match,
    )
