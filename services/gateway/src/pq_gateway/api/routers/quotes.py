"""GET /v1/quotes/{symbol}: the latest quote, from the query service.

`forward_quote` is the one implementation: the route below and the pure-ASGI fast path
(api/forwarded_reads.py) both call it.
"""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Response

from pq_domain import Symbol

from ...adapters.query_forwarder import ForwardedRead, QueryForwarder
from ..deps import ForwardedReadDep, QueryForwarderDep, SymbolPathDep
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
    symbol: SymbolPathDep, query: QueryForwarderDep, read: ForwardedReadDep
) -> Response:
    return await forward_quote(query, symbol, read)


async def forward_quote(query: QueryForwarder, symbol: Symbol, read: ForwardedRead) -> Response:
    return await query.forward(
        f"/v1/quotes/{quote(str(symbol), safe='')}",
        read,
        not_found_detail=f"no quote for {symbol} yet",
    )
