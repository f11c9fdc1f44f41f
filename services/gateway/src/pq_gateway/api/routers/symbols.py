"""GET /v1/symbols and /v1/symbols/{symbol}: tracked symbols, from the query service.

`forward_symbols` and `forward_symbol` are the one implementation: the routes below and
the pure-ASGI fast path (api/forwarded_reads.py) both call them.
"""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Response

from pq_domain import Symbol
from pq_domain.rest_shapes import SymbolPublic, SymbolsList

from ...adapters.query_forwarder import ForwardedRead, QueryForwarder
from ..deps import ForwardedReadDep, QueryForwarderDep, SymbolPathDep
from ..problems import problem_responses

router = APIRouter(prefix="/v1/symbols", tags=["symbols"])


@router.get(
    "",
    response_model=SymbolsList,
    responses=problem_responses(422, 502, 503),
    summary="Tracked symbols with their intervals and covered ranges",
)
async def list_symbols(query: QueryForwarderDep, read: ForwardedReadDep) -> Response:
    return await forward_symbols(query, read)


@router.get(
    "/{symbol:path}",
    response_model=SymbolPublic,
    responses=problem_responses(404, 422, 502, 503),
    summary="One symbol's metadata and covered range per interval",
)
async def get_symbol(
    symbol: SymbolPathDep, query: QueryForwarderDep, read: ForwardedReadDep
) -> Response:
    return await forward_symbol(query, symbol, read)


async def forward_symbols(query: QueryForwarder, read: ForwardedRead) -> Response:
    return await query.forward("/v1/symbols", read, not_found_detail="no symbols")


async def forward_symbol(query: QueryForwarder, symbol: Symbol, read: ForwardedRead) -> Response:
    return await query.forward(
        f"/v1/symbols/{quote(str(symbol), safe='')}",
        read,
        not_found_detail=f"symbol {symbol} is not tracked",
    )
