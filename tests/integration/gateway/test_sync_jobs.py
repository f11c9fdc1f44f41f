"""POST /v1/sync records SyncJobAccepted first; GET answers `pending` until query knows."""

from __future__ import annotations

import httpx
from nats.aio.client import Client

from pq_domain.subjects import STREAM_JOBS, SYNC_JOB_EVENTS
from pq_runtime.codec import decode


async def test_accepted_is_recorded_and_readable_at_once(gateway_url: str, nc: Client) -> None:
    jobs = await nc.jetstream().pull_subscribe(SYNC_JOB_EVENTS, stream=STREAM_JOBS.name)
    async with httpx.AsyncClient(base_url=gateway_url) as http:
        created = await http.post(
            "/v1/sync",
            json={"symbol": "NYSE:BRK.B", "interval": "1d", "bars": 10},
            headers={"X-Correlation-ID": "it-jobs-1"},
        )
        job_id = created.json()["job_id"]
        state = await http.get(f"/v1/sync/{job_id}")  # the query peer knows no jobs: 404
    assert state.status_code == 200
    pending = state.json()
    assert (pending["job_id"], pending["status"], pending["symbol"]) == (
        job_id, "pending", "NYSE:BRK.B",
    )  # fmt: skip
    assert pending["progress"] == {"bars_fetched": 0, "bars_written": 0, "expected": 10}
    [msg] = await jobs.fetch(1, timeout=10)
    assert msg.headers is not None
    assert msg.headers["Pq-Event-Type"] == "SyncJobAccepted"
    assert msg.headers["Nats-Msg-Id"] == f"sync-job:{job_id}:accepted"
    assert msg.headers["X-Correlation-ID"] == "it-jobs-1"
    assert decode(msg.data)["symbol"] == "NYSE:BRK.B"
