"""GET /v1/sync: jobs newest first, filtered by status and symbol, cursor-paged."""

from __future__ import annotations

from typing import Any

from pq_domain import Interval
from pq_domain.events import SyncJobAccepted, SyncJobCompleted, SyncJobFailed, SyncJobStarted
from pq_domain.subjects import SYNC_JOB_EVENTS

from .conftest import RunningQuery
from .events import T0, publish, unique_symbol


async def listing(q: RunningQuery, **params: Any) -> tuple[list[str], list[dict[str, Any]]]:
    """(job ids of every page, in order; the pages' bodies)."""
    ids: list[str] = []
    bodies: list[dict[str, Any]] = []
    cursor = None
    while True:
        body = await q.get_json("/v1/sync", **params, **({"cursor": cursor} if cursor else {}))
        bodies.append(body)
        ids += [job["job_id"] for job in body["jobs"]]
        cursor = body["next_cursor"]
        if cursor is None:
            return ids, bodies


async def test_jobs_are_listed_newest_first_filtered_and_paged(
    query_service: RunningQuery,
) -> None:
    js = query_service.js
    aapl, msft = unique_symbol(), unique_symbol()
    for i in range(7):
        symbol = aapl if i % 2 == 0 else msft
        await publish(
            js, SyncJobAccepted(f"job-{i}", symbol, Interval.H1, at=T0 + i), SYNC_JOB_EVENTS
        )
    await publish(js, SyncJobStarted("job-5", at=T0 + 10), SYNC_JOB_EVENTS)
    await publish(js, SyncJobFailed("job-4", error="no such symbol", at=T0 + 11), SYNC_JOB_EVENTS)
    await publish(js, SyncJobCompleted("job-3", bars=0, at=T0 + 12), SYNC_JOB_EVENTS)
    await query_service.projected("query-jobs", "PQ_JOBS")

    ids, bodies = await listing(query_service, limit=3)
    assert ids == [f"job-{i}" for i in reversed(range(7))]
    assert [len(b["jobs"]) for b in bodies] == [3, 3, 1]
    newest = bodies[0]["jobs"][0]
    assert set(newest) == {
        "job_id", "status", "symbol", "interval", "bars", "error", "progress", "created_at",
        "started_at", "finished_at",
    }  # fmt: skip
    assert (await listing(query_service, symbol=str(aapl)))[0] == [
        "job-6",
        "job-4",
        "job-2",
        "job-0",
    ]
    assert (await listing(query_service, status="running"))[0] == ["job-5"]
    assert (await listing(query_service, status="failed"))[0] == ["job-4"]
    assert (await listing(query_service, status="done"))[0] == ["job-3"]  # no bars to wait for
    pending = (await listing(query_service, status="pending", symbol=str(msft)))[0]
    assert pending == ["job-1"]

    for params, field in (
        ({"status": "finished"}, "status"),
        ({"cursor": "nope"}, "query.cursor"),
        ({"symbol": "NOT A SYMBOL"}, "query.symbol"),
        ({"limit": 0}, "limit"),
    ):
        answer = await query_service.client.get("/v1/sync", params=params)
        assert answer.status_code == 422, params
        assert field in answer.text
