"""GET /v1/quotes/{symbol}: the latest quote, from the query service.

`forward_quote` is the one implementation: the route below and the pure-ASGI fast path
(api/forwarded_reads.py) both call it.
"""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Request, Response

from pq_domain import Symbol

from ...adapters.query_forwarder import QueryForwarder
from ..deps import CorrelationIdDep, QueryForwarderDep, SymbolPathDep, TraceparentDep
from ..problems import problem_responses
from ..schemas.market import QuotePublic

router = APIRouter(prefix="/v1/quotes", tags=["quotes"])


@router.get(
    "/{symbol:path}",
    response_model=QuotePublic,
    responses=problem_responses(404, 422, 502, 503),
    summary="The latest quote of a symbol",
)
async def get_quote(
    symbol: SymbolPathDep,
    request: Request,
    query: QueryForwarderDep,
    correlation_id: CorrelationIdDep,
    traceparent: TraceparentDep,
) -> Response:
    return await forward_quote(
        query, symbol, request.url.query, correlation_id=correlation_id, traceparent=traceparent
    )


async def forward_quote(
    query: QueryForwarder,
    symbol: Symbol,
    query_string: str,
    *,
    correlation_id: str,
    traceparent: str | None,
) -> Response:
    return await query.get(
        f"/v1/quotes/{quote(str(symbol), safe='')}",
        query_string,
        correlation_id=correlation_id,
        traceparent=traceparent,
        not_found_detail=f"no quote for {symbol} yet",
    )
