"""Drive one sync through the gateway and wait for it to be done."""

from __future__ import annotations

import httpx

from tests.support.waiting import wait_for

SYMBOL = "NASDAQ:AAPL"


async def sync_through_gateway(
    gateway_url: str, correlation_id: str, *, bars: int = 30, traceparent: str | None = None
) -> str:
    """POST /v1/sync (as a caller in `traceparent`'s trace when given), then poll
    GET /v1/sync/{job_id} until `done`; the job id."""
    headers = {"X-Correlation-ID": correlation_id}
    if traceparent:
        headers["traceparent"] = traceparent
    async with httpx.AsyncClient(base_url=gateway_url, timeout=10) as http:
        accepted = await http.post(
            "/v1/sync",
            json={"symbol": SYMBOL, "interval": "1d", "bars": bars},
            headers=headers,
        )
        assert accepted.status_code == 202, accepted.text
        job_id: str = accepted.json()["job_id"]

        async def done() -> bool:
            answer = await http.get(f"/v1/sync/{job_id}")
            if answer.status_code == 200 and answer.json()["status"] == "failed":
                raise AssertionError(f"sync failed: {answer.text}")
            return answer.status_code == 200 and answer.json()["status"] == "done"

        await wait_for(done, timeout=30, what=f"job {job_id} done")
    return job_id
