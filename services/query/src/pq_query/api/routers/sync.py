"""GET /v1/sync/{job_id}: a sync job's state.

`done` is shown once the job is done *and* all its BarSynced chunks are in the bars
model (the two arrive on different streams): a client that sees `done` can read the
bars at once. Until then the job shows `running`.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path
from starlette.responses import Response

from ...model.jobs import JobStatus
from ..deps import ResourcesDep
from ..encoding import job_body
from ..problems import not_found

router = APIRouter(prefix="/v1/sync", tags=["sync"])


@router.get("/{job_id}", summary="A sync job's state")
async def get_sync_job(
    r: ResourcesDep, job_id: Annotated[str, Path(pattern=r"^[A-Za-z0-9_-]{1,64}$")]
) -> Response:
    state = await r.models.jobs_reader.get(job_id)
    if state is None:
        raise not_found(f"no sync job {job_id}")
    status = state.status
    if status is JobStatus.DONE and state.bars:
        applied, chunks = await r.live.current.reader.chunks_applied(job_id)
        if chunks == 0 or applied < chunks:
            status = JobStatus.RUNNING
    body = job_body(state, status)
    return Response(body, media_type="application/json")
