"""Scheduled re-syncs: PUT/GET/DELETE /v1/schedules/{symbol}, GET /v1/schedules.

Written to the PQ_SCHEDULES KV bucket, which ingest-history reads and fires
(services/ingest-history/README.md, "Schedules"). One schedule per (symbol, interval).
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Query, Response

from pq_domain import Interval
from pq_domain.schedule import MAX_BARS, Schedule

from ...auth.ownership import capped, owner_of, require_owner, within_quota
from ..deps import PrincipalDep, SchedulesDep, SettingsDep, SymbolPathDep, require_json_body
from ..problems import ProblemError, invalid, problem_responses
from ..schemas.schedules import SchedulePublic, SchedulesList, ScheduleUpsert

router = APIRouter(prefix="/v1/schedules", tags=["schedules"])


def _now_ms() -> int:
    return int(time.time() * 1000)


def _public(entry: Schedule) -> SchedulePublic:
    return SchedulePublic(
        symbol=str(entry.symbol),
        interval=entry.interval,
        every_s=round(entry.every_s),
        bars=entry.bars,
        next_due_at=datetime.fromtimestamp(entry.next_due_ms / 1000, tz=UTC),
    )


@router.get(
    "",
    response_model=SchedulesList,
    responses=problem_responses(503),
    summary="Every scheduled re-sync, sorted by symbol and interval",
)
async def list_schedules(schedules: SchedulesDep) -> SchedulesList:
    return SchedulesList(schedules=[_public(e) for e in await schedules.all(_now_ms())])


@router.get(
    "/{symbol:path}",
    response_model=SchedulesList,
    responses=problem_responses(422, 503),
    summary="The scheduled re-syncs of one symbol (one per interval; empty list when none)",
)
async def get_schedules(symbol: SymbolPathDep, schedules: SchedulesDep) -> SchedulesList:
    entries = await schedules.for_symbol(symbol, _now_ms())
    return SchedulesList(schedules=[_public(e) for e in entries])


@router.put(
    "/{symbol:path}",
    response_model=SchedulePublic,
    status_code=200,
    dependencies=[Depends(require_json_body)],
    responses={
        201: {"model": SchedulePublic, "description": "Schedule created"},
        **problem_responses(400, 403, 409, 413, 415, 422, 503),
    },
    summary="Create (201) or replace (200) the re-sync schedule of a symbol and interval",
    description="The first re-sync is due at once, then one every `every`. `every` is "
    "seconds (>= 60) or a duration: `90m`, `1h`, `1d`, `2w`, or ISO 8601 "
    "`PT1H30M`, `P1D` (at most 366 days). A schedule records the API key that made it: "
    "only that key or an admin key may replace or remove it (403), and one key may own at "
    "most PQ_SCHEDULES_MAX_PER_KEY schedules (409; admin keys are not capped).",
)
async def put_schedule(
    symbol: SymbolPathDep,
    body: ScheduleUpsert,
    schedules: SchedulesDep,
    settings: SettingsDep,
    principal: PrincipalDep,
    response: Response,
) -> SchedulePublic:
    max_bars = min(settings.sync_max_bars, MAX_BARS)
    if not 1 <= body.bars <= max_bars:
        raise invalid("body.bars", f"must be between 1 and {max_bars}")
    now_ms = _now_ms()
    existing = await schedules.get(symbol, body.interval, now_ms)
    owner = owner_of(principal)
    if existing is not None:
        require_owner(principal, existing.owner, f"the {body.interval.value} schedule of {symbol}")
        owner = existing.owner if existing.owner is not None else owner
    elif owner is not None and capped(principal):
        owned = await schedules.owned_by(owner, now_ms)
        within_quota(owned, settings.schedules_max_per_key, "schedules", "PQ_SCHEDULES_MAX_PER_KEY")
    entry = Schedule(symbol, body.interval, float(body.every), body.bars, now_ms, owner)
    if await schedules.put(entry):
        response.status_code = 201
        response.headers["Location"] = f"/v1/schedules/{quote(str(symbol), safe='')}"
    return _public(entry)


@router.delete(
    "/{symbol:path}",
    status_code=204,
    responses=problem_responses(400, 403, 404, 409, 422, 503),
    summary="Remove the re-sync schedule of a symbol and interval (its key, or an admin)",
)
async def delete_schedule(
    symbol: SymbolPathDep,
    interval: Annotated[Interval, Query(description="Which of the symbol's schedules")],
    schedules: SchedulesDep,
    principal: PrincipalDep,
) -> Response:
    existing = await schedules.get(symbol, interval, _now_ms())
    if existing is not None:
        require_owner(principal, existing.owner, f"the {interval.value} schedule of {symbol}")
    if not await schedules.remove(symbol, interval):
        raise ProblemError(404, f"no {interval.value} schedule for {symbol}")
    return Response(status_code=204)
