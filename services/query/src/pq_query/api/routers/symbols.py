"""GET /v1/symbols and /v1/symbols/{symbol}: metadata and covered range per interval."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.responses import Response

from pq_domain import InvalidSymbol, Symbol

from ..deps import ResourcesDep
from ..encoding import symbol_body, symbols_body
from ..problems import invalid, not_found

router = APIRouter(prefix="/v1/symbols", tags=["symbols"])


def canonical(symbol: str) -> str:
    try:
        return str(Symbol.parse(symbol))
    except InvalidSymbol as exc:
        raise invalid("path.symbol", str(exc)) from None


@router.get("", summary="Tracked symbols with their intervals and covered ranges")
async def list_symbols(r: ResourcesDep) -> Response:
    views = await r.live.current.reader.symbols()
    return Response(symbols_body(views), media_type="application/json")


@router.get("/{symbol:path}", summary="One symbol's metadata and covered range per interval")
async def get_symbol(r: ResourcesDep, symbol: str) -> Response:
    name = canonical(symbol)
    view = await r.live.current.reader.symbol(name)
    if view is None:
        raise not_found(f"symbol {name} is not tracked")
    return Response(symbol_body(view), media_type="application/json")
