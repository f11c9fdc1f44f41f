"""Sync jobs on the SSE stream: `job.progress` while a job runs, `job.done` when it ends.

Job lifecycle events on `pq.jobs.sync` (a core subscription: live news, no replay) say
*when* a job moved; what it looks like comes from the query service, the one place that
knows `bars_written` and shows `done` only once every bar is readable. So each event
starts (or keeps) a watcher for its job that reads GET /v1/sync/{id} every `poll_s` and
sends the Job JSON whenever it changed, until the job has ended (`job.done`, then the
watcher stops) or nothing changed for `idle_s` (the next event wakes it again). With a
`job_id` filter the watcher starts at once, so a client sees the job's current state
(and `job.done` for a job that already ended) without waiting for an event.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Awaitable, Callable

import structlog
from nats.aio.client import Client as NatsClient
from nats.aio.msg import Msg
from nats.aio.subscription import Subscription

from pq_domain.subjects import SYNC_JOB_EVENTS
from pq_runtime.codec import CodecError, decode

from ..adapters.upstream import Upstream, UpstreamUnreachable
from .frames import JOB_DONE, JOB_PROGRESS, SseEvent

log = structlog.get_logger("pq_gateway.sse.jobs")
Emit = Callable[[SseEvent], Awaitable[None]]
_ENDED = ("done", "failed")


class JobFeed:
    def __init__(
        self,
        nc: NatsClient,
        query: Upstream,
        emit: Emit,
        *,
        job_id: str | None = None,
        poll_s: float = 0.25,
        idle_s: float = 30.0,
    ) -> None:
        self._nc, self._query, self._emit = nc, query, emit
        self._job_id = job_id
        self._poll_s, self._idle_s = poll_s, idle_s
        self._watchers: dict[str, asyncio.Task[None]] = {}
        self._sent: dict[str, bytes] = {}
        self._subscription: Subscription | None = None

    async def open(self) -> None:
        self._subscription = await self._nc.subscribe(SYNC_JOB_EVENTS, cb=self._on_event)
        if self._job_id is not None:
            self._watch(self._job_id)

    async def close(self) -> None:
        if self._subscription is not None:
            with contextlib.suppress(Exception):
                await self._subscription.unsubscribe()
            self._subscription = None
        watchers, self._watchers = self._watchers, {}
        for task in watchers.values():
            task.cancel()
        for task in watchers.values():
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task

    async def _on_event(self, msg: Msg) -> None:
        try:
            job_id = decode(msg.data).get("job_id")
        except CodecError:
            return
        if isinstance(job_id, str) and self._job_id in (None, job_id):
            self._watch(job_id)

    def _watch(self, job_id: str) -> None:
        running = self._watchers.get(job_id)
        if running is None or running.done():
            self._watchers[job_id] = asyncio.create_task(self._follow(job_id))

    async def _follow(self, job_id: str) -> None:
        quiet_since = asyncio.get_running_loop().time()
        while True:
            job = await self._read(job_id)
            now = asyncio.get_running_loop().time()
            if job is not None and job != self._sent.get(job_id):
                self._sent[job_id] = job
                quiet_since = now
                ended = json.loads(job).get("status") in _ENDED
                await self._emit(SseEvent(JOB_DONE if ended else JOB_PROGRESS, job))
                if ended:
                    return
            elif now - quiet_since > self._idle_s:
                return
            await asyncio.sleep(self._poll_s)

    async def _read(self, job_id: str) -> bytes | None:
        try:
            answer = await self._query.get(f"/v1/sync/{job_id}", {}, 5.0)
        except UpstreamUnreachable as exc:
            log.warning("job state unreadable", job_id=job_id, error=str(exc))
            return None
        return answer.body if answer.status == 200 else None
