"""GET /v1/quotes/{symbol}: the latest quote, kept in Redis by the quotes projection."""

from __future__ import annotations

from fastapi import APIRouter
from redis.exceptions import RedisError
from starlette.responses import Response

from ..deps import ResourcesDep
from ..problems import not_found, unavailable
from .symbols import canonical

router = APIRouter(prefix="/v1/quotes", tags=["quotes"])


@router.get("/{symbol:path}", summary="The latest quote of a symbol")
async def get_quote(r: ResourcesDep, symbol: str) -> Response:
    name = canonical(symbol)
    try:
        body = await r.quotes.get(name)
    except RedisError as exc:
        raise unavailable("Redis", f"latest quotes are unavailable: {type(exc).__name__}") from exc
    if body is None:
        raise not_found(f"no quote for {name} yet")
    return Response(body, media_type="application/json")
