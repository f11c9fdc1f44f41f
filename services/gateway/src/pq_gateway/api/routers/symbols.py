"""GET /v1/symbols and /v1/symbols/{symbol}: tracked symbols, from the query service.

`forward_symbols` and `forward_symbol` are the one implementation: the routes below and
the pure-ASGI fast path (api/forwarded_reads.py) both call them.
"""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Request, Response

from pq_domain import Symbol

from ...adapters.query_forwarder import QueryForwarder
from ..deps import CorrelationIdDep, QueryForwarderDep, SymbolPathDep, TraceparentDep
from ..problems import problem_responses
from ..schemas.market import SymbolPublic, SymbolsList

router = APIRouter(prefix="/v1/symbols", tags=["symbols"])


@router.get(
    "",
    response_model=SymbolsList,
    responses=problem_responses(422, 502, 503),
    summary="Tracked symbols with their intervals and covered ranges",
)
async def list_symbols(
    request: Request,
    query: QueryForwarderDep,
    correlation_id: CorrelationIdDep,
    traceparent: TraceparentDep,
) -> Response:
    return await forward_symbols(
        query, request.url.query, correlation_id=correlation_id, traceparent=traceparent
    )


@router.get(
    "/{symbol:path}",
    response_model=SymbolPublic,
    responses=problem_responses(404, 422, 502, 503),
    summary="One symbol's metadata and covered range per interval",
)
async def get_symbol(
    symbol: SymbolPathDep,
    request: Request,
    query: QueryForwarderDep,
    correlation_id: CorrelationIdDep,
    traceparent: TraceparentDep,
) -> Response:
    return await forward_symbol(
        query, symbol, request.url.query, correlation_id=correlation_id, traceparent=traceparent
    )


async def forward_symbols(
    query: QueryForwarder, query_string: str, *, correlation_id: str, traceparent: str | None
) -> Response:
    return await query.get(
        "/v1/symbols",
        query_string,
        correlation_id=correlation_id,
        traceparent=traceparent,
        not_found_detail="no symbols",
    )


async def forward_symbol(
    query: QueryForwarder,
    symbol: Symbol,
    query_string: str,
    *,
    correlation_id: str,
    traceparent: str | None,
) -> Response:
    return await query.get(
        f"/v1/symbols/{quote(str(symbol), safe='')}",
        query_string,
        correlation_id=correlation_id,
        traceparent=traceparent,
        not_found_detail=f"symbol {symbol} is not tracked",
    )
