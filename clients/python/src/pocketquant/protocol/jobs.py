"""Sync jobs: create (POST /v1/sync), read, list, and wait until done or failed."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from typing import Any

from ..errors import NotSupported, SyncFailed
from ..models import JobInfo
from ..times import TimeLike, rfc3339, to_ms
from .api import Api
from .steps import Flow, Sleep, error_for, json_body, send, send_raw

JobListener = Callable[[JobInfo], None]
POLL_FIRST_S = 0.1
POLL_MAX_S = 0.5  # a job just done is seen within half a second
LIST_PAGE = 100


def sync_body(
    symbol: str,
    interval: str,
    *,
    bars: int | None = None,
    start: TimeLike | None = None,
    end: TimeLike | None = None,
) -> dict[str, Any]:
    """The POST /v1/sync body; the gateway refuses a wrong combination with `Invalid`."""
    body: dict[str, Any] = {"symbol": symbol, "interval": interval}
    if bars is not None:
        body["bars"] = bars
    if start is not None:
        body["start"] = rfc3339(to_ms(start))
    if end is not None:
        body["end"] = rfc3339(to_ms(end))
    return body


def create_job(api: Api, body: dict[str, Any]) -> Flow[JobInfo]:
    # One Idempotency-Key per call: a retried POST (after a 429 or 503) makes one job.
    headers = {"Idempotency-Key": uuid.uuid4().hex}
    response = yield from send(
        api.request("POST", "/v1/sync", json=body, headers=headers), api.policy
    )
    accepted = json_body(response)
    return JobInfo.from_json(accepted | {"symbol": body["symbol"], "interval": body["interval"]})


def get_job(api: Api, job_id: str) -> Flow[JobInfo]:
    response = yield from send(api.request("GET", f"/v1/sync/{job_id}"), api.policy)
    return JobInfo.from_json(json_body(response))


def list_jobs(
    api: Api, *, status: str | None, symbol: str | None, limit: int | None
) -> Flow[list[JobInfo]]:
    """Newest first, following `next_cursor` until `limit` jobs (None: all of them)."""
    jobs: list[JobInfo] = []
    cursor: str | None = None
    while True:
        page = LIST_PAGE if limit is None else min(LIST_PAGE, limit - len(jobs))
        params = {"status": status, "symbol": symbol, "limit": page, "cursor": cursor}
        request = api.request("GET", "/v1/sync", params=params)
        response = yield from send_raw(request, api.policy)
        if response.status_code in (404, 405):
            raise NotSupported(
                "this gateway cannot list sync jobs (GET /v1/sync answered "
                f"{response.status_code}); read one with client.job(job_id)",
                status=response.status_code,
            )
        if response.status_code >= 400:
            raise error_for(response)
        body = json_body(response)
        jobs += [JobInfo.from_json(raw) for raw in body.get("jobs") or []]
        cursor = body.get("next_cursor")
        if not cursor or (limit is not None and len(jobs) >= limit):
            return jobs if limit is None else jobs[:limit]


def wait_job(
    api: Api,
    job: JobInfo,
    *,
    on_update: JobListener | None = None,
    timeout: float | None = None,
    raise_on_failure: bool = False,
) -> Flow[JobInfo]:
    """Poll GET /v1/sync/{job_id} until the job is done or failed; its final state.

    `timeout` (seconds, None: no limit) raises TimeoutError; `raise_on_failure` turns a
    failed job into `SyncFailed`."""
    deadline = None if timeout is None else time.monotonic() + timeout
    delay = POLL_FIRST_S
    while True:
        if on_update is not None:
            on_update(job)
        if job.finished:
            break
        if deadline is not None and time.monotonic() + delay > deadline:
            raise TimeoutError(f"sync job {job.job_id} still {job.status} after {timeout} s")
        yield Sleep(delay)
        delay = min(POLL_MAX_S, delay * 1.5)
        latest = yield from get_job(api, job.job_id)
        # The job's own symbol/interval survive a server that does not echo them.
        known = {k: v for k, v in latest.state().items() if v is not None}
        job = JobInfo(**(job.state() | known))
    if raise_on_failure and job.status == "failed":
        raise SyncFailed(job.error or f"sync job {job.job_id} failed", job=job)
    return job
