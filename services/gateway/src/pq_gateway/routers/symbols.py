"""GET /v1/symbols and /v1/symbols/{symbol}: tracked symbols, from the query service."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Request, Response

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
    return await query.get(
        "/v1/symbols",
        request.url.query,
        correlation_id=correlation_id,
        traceparent=traceparent,
        not_found_detail="no symbols",
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
    return await query.get(
        f"/v1/symbols/{quote(str(symbol), safe='')}",
        request.url.query,
        correlation_id=correlation_id,
        traceparent=traceparent,
        not_found_detail=f"symbol {symbol} is not tracked",
    )
