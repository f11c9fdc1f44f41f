"""POST /internal/projections/bars/rebuild: what `pq projections rebuild bars` calls.

Internal: not forwarded by the gateway. It answers when the new model is live.
"""

from __future__ import annotations

import msgspec
from fastapi import APIRouter
from starlette.responses import Response

from ...handlers.rebuild.rebuilder import RebuildInProgress
from ..deps import ResourcesDep
from ..problems import ProblemError

router = APIRouter(prefix="/internal/projections", tags=["internal"])


@router.post("/bars/rebuild", summary="Replay PQ_BARS into a fresh bars model and swap it in")
async def rebuild_bars(r: ResourcesDep) -> Response:
    try:
        report = await r.rebuilder.rebuild()
    except RebuildInProgress as exc:
        raise ProblemError(409, str(exc)) from exc
    return Response(msgspec.json.encode(report), media_type="application/json")
