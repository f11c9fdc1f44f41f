"""The live watchlist: PUT/DELETE /v1/stream/subscriptions/{symbol}, GET the list."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import quote

from fastapi import APIRouter, Response

from ...adapters.watchlist import WatchlistEntry
from ...auth.ownership import capped, owner_of, require_owner, within_quota
from ..deps import PrincipalDep, SettingsDep, SymbolPathDep, WatchlistDep
from ..problems import ProblemError, problem_responses
from ..schemas.stream import SubscriptionPublic, SubscriptionsList

router = APIRouter(prefix="/v1/stream/subscriptions", tags=["stream"])


def _public(entry: WatchlistEntry) -> SubscriptionPublic:
    return SubscriptionPublic(
        symbol=str(entry.symbol), added_at=datetime.fromtimestamp(entry.added_at / 1000, tz=UTC)
    )


@router.get(
    "",
    response_model=SubscriptionsList,
    responses=problem_responses(503),
    summary="The live watchlist",
)
async def list_subscriptions(watchlist: WatchlistDep) -> SubscriptionsList:
    return SubscriptionsList(subscriptions=[_public(e) for e in await watchlist.all()])


@router.put(
    "/{symbol:path}",
    response_model=SubscriptionPublic,
    status_code=200,
    responses={
        201: {"model": SubscriptionPublic, "description": "Added to the watchlist"},
        **problem_responses(409, 422, 503),
    },
    summary="Add a symbol to the live watchlist (200 when it is already there)",
    description="The entry records the API key that added it; one key may add at most "
    "PQ_WATCHLIST_MAX_PER_KEY entries (409 beyond; admin keys are not capped).",
)
async def put_subscription(
    symbol: SymbolPathDep,
    watchlist: WatchlistDep,
    principal: PrincipalDep,
    settings: SettingsDep,
    response: Response,
) -> SubscriptionPublic:
    existing = await watchlist.get(symbol)
    if existing is not None:
        return _public(existing)
    owner = owner_of(principal)
    if owner is not None and capped(principal):
        owned = await watchlist.owned_by(owner)
        cap = settings.watchlist_max_per_key
        within_quota(owned, cap, "watchlist entries", "PQ_WATCHLIST_MAX_PER_KEY")
    entry, added = await watchlist.add(symbol, owner)
    if added:
        response.status_code = 201
        response.headers["Location"] = f"/v1/stream/subscriptions/{quote(str(symbol), safe='')}"
    return _public(entry)


@router.delete(
    "/{symbol:path}",
    status_code=204,
    responses=problem_responses(403, 404, 422, 503),
    summary="Remove a symbol from the live watchlist (the key that added it, or an admin)",
)
async def delete_subscription(
    symbol: SymbolPathDep, watchlist: WatchlistDep, principal: PrincipalDep
) -> Response:
    entry = await watchlist.get(symbol)
    if entry is None:
        raise ProblemError(404, f"{symbol} is not on the watchlist")
    require_owner(principal, entry.owner, f"{symbol} on the watchlist")
    if not await watchlist.remove(symbol):
        raise ProblemError(404, f"{symbol} is not on the watchlist")
    return Response(status_code=204)
