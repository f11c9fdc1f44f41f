"""Jobs the gateway accepted, remembered in Redis for an hour (`pq:job:<id>`).

The query service learns of a job from SyncJobAccepted a moment after the 202; a
GET /v1/sync/{id} in that moment would be a 404. The gateway answers such a 404 with
`pending` when it remembers the job (read-your-writes). A cache only: if Redis is
down the job still runs, the client may just see a 404 for that moment.
"""

from __future__ import annotations

import json
import time
from typing import Any

import structlog
from redis.asyncio import Redis
from redis.exceptions import RedisError

from pq_domain.events import SyncRequested
from pq_domain.instants import format_instant

log = structlog.get_logger("pq_gateway.pending_jobs")


def pending_job(command: SyncRequested, at_ms: int) -> dict[str, Any]:
    """The public Job shape of a job just accepted (what GET /v1/sync/{id} shows)."""
    return {
        "job_id": command.job_id,
        "status": "pending",
        "symbol": str(command.symbol),
        "interval": command.interval.value,
        "bars": None,
        "error": None,
        "progress": {"bars_fetched": 0, "bars_written": 0, "expected": command.bars},
        "created_at": format_instant(at_ms),
        "started_at": None,
        "finished_at": None,
    }


def _key(job_id: str) -> str:
    return f"pq:job:{job_id}"


class PendingJobs:
    def __init__(self, redis: Redis, *, ttl_s: int) -> None:
        self._redis = redis
        self._ttl_s = ttl_s

    async def remember(self, command: SyncRequested) -> None:
        job_id = command.job_id
        state = pending_job(command, int(time.time() * 1000))
        try:
            await self._redis.set(_key(job_id), json.dumps(state), ex=self._ttl_s)
        except (RedisError, OSError) as exc:
            log.warning("could not remember a pending job", job_id=job_id, error=repr(exc))

    async def pending(self, job_id: str) -> bytes | None:
        """The job's pending JSON when the gateway accepted it lately, else None."""
        try:
            value = await self._redis.get(_key(job_id))
        except (RedisError, OSError) as exc:
            log.warning("could not look up a pending job", job_id=job_id, error=repr(exc))
            return None
        return value if isinstance(value, bytes) else None
