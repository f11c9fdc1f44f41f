"""GET /v1/sync/{id}: a job the gateway just accepted is `pending` until query knows it."""

from __future__ import annotations

import httpx

from tests.unit.gateway.conftest import MemoryPendingJobs, QueryDouble
from tests.unit.gateway.problem_asserts import assert_problem


async def test_accepted_job_reads_as_pending_before_query_projects_it(
    gateway_client: httpx.AsyncClient, query_double: QueryDouble
) -> None:
    query_double.respond = lambda _r: httpx.Response(404, json={"detail": "no such job"})
    created = await gateway_client.post(
        "/v1/sync", json={"symbol": "NASDAQ:AAPL", "interval": "1h", "bars": 10}
    )
    job_id = created.json()["job_id"]
    response = await gateway_client.get(f"/v1/sync/{job_id}")
    assert response.status_code == 200
    assert response.json() == {
        "job_id": job_id, "status": "pending", "symbol": "NASDAQ:AAPL", "interval": "1h",
        "bars": None, "error": None,
        "progress": {"bars_fetched": 0, "bars_written": 0, "expected": 10},
        "created_at": "2025-03-10T14:00:00Z", "started_at": None, "finished_at": None,
    }  # fmt: skip


async def test_unknown_job_is_still_404(
    gateway_client: httpx.AsyncClient, query_double: QueryDouble, pending_jobs: MemoryPendingJobs
) -> None:
    query_double.respond = lambda _r: httpx.Response(404, json={"detail": "no such job"})
    assert_problem(await gateway_client.get("/v1/sync/abc123"), 404)
    assert pending_jobs.jobs == {}


async def test_query_state_wins_once_it_knows_the_job(
    gateway_client: httpx.AsyncClient, query_double: QueryDouble
) -> None:
    done = {"job_id": "j1", "status": "done", "bars": 10, "error": None}
    query_double.respond = lambda _r: httpx.Response(200, json=done)
    response = await gateway_client.get("/v1/sync/j1")
    assert response.json() == done
