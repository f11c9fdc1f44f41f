"""The gateway's REST contract as a user reads it: sync jobs, bar pages, problem documents."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import httpx

from tests.support.sim_reference import BarRow
from tests.support.waiting import wait_until

PROBLEM_JSON = "application/problem+json"
FINAL_STATES = ("done", "failed")


def epoch_ms(rfc3339: str) -> int:
    moment = datetime.fromisoformat(rfc3339)
    assert moment.utcoffset() is not None, f"{rfc3339!r} is not an RFC 3339 time with an offset"
    return int(moment.timestamp() * 1000)


def bar_row(bar: dict[str, Any]) -> BarRow:
    return (epoch_ms(bar["t"]), bar["o"], bar["h"], bar["l"], bar["c"], bar["v"])


def post_sync(
    client: httpx.Client, body: dict[str, Any], correlation_id: str | None = None
) -> httpx.Response:
    headers = {"X-Correlation-ID": correlation_id or f"e2e-{uuid.uuid4().hex[:12]}"}
    return client.post("/v1/sync", json=body, headers=headers)


def start_sync(client: httpx.Client, symbol: str, interval: str, bars: int) -> str:
    """POST /v1/sync; asserts the 202 `{job_id, status: pending}` and returns the job id."""
    response = post_sync(client, {"symbol": symbol, "interval": interval, "bars": bars})
    assert response.status_code == 202, response.text
    accepted = response.json()
    assert accepted["status"] == "pending", accepted
    assert accepted["job_id"], accepted
    return str(accepted["job_id"])


def wait_job(client: httpx.Client, job_id: str, timeout: float = 90.0) -> dict[str, Any]:
    """Poll GET /v1/sync/{job_id} until the job is done or failed; returns its last state."""
    seen: list[dict[str, Any]] = []

    def finished() -> dict[str, Any] | None:
        response = client.get(f"/v1/sync/{job_id}")
        assert response.status_code in (200, 404), f"{response.status_code} {response.text}"
        if response.status_code == 404:  # accepted, not yet projected
            return None
        job: dict[str, Any] = response.json()
        seen.append(job)
        return job if job["status"] in FINAL_STATES else None

    try:
        job = wait_until(finished, timeout=timeout, interval=0.2, what=f"job {job_id} to finish")
    except AssertionError as failure:
        raise AssertionError(f"{failure}; last state: {seen[-1] if seen else 'none'}") from None
    assert job is not None
    return job


def sync_and_wait(client: httpx.Client, symbol: str, interval: str, bars: int) -> dict[str, Any]:
    return wait_job(client, start_sync(client, symbol, interval, bars))


def all_bars(
    client: httpx.Client,
    symbol: str,
    interval: str,
    limit: int = 1000,
    max_pages: int = 100,
    *,
    start: int | None = None,
    end: int | None = None,
) -> tuple[list[BarRow], int]:
    """Every bar of `symbol` `interval` (in [start, end) epoch ms when given), paged with
    `next_cursor`; also the number of pages."""
    rows: list[BarRow] = []
    params: dict[str, str | int] = {"symbol": symbol, "interval": interval, "limit": limit}
    params |= {name: ms for name, ms in (("start", start), ("end", end)) if ms is not None}
    for page in range(1, max_pages + 1):
        response = client.get("/v1/bars", params=params)
        assert response.status_code == 200, f"page {page}: {response.status_code} {response.text}"
        body = response.json()
        assert (body["symbol"], body["interval"]) == (symbol, interval), body
        assert len(body["bars"]) <= limit
        rows += [bar_row(bar) for bar in body["bars"]]
        if body["next_cursor"] is None:
            return rows, page
        params["cursor"] = body["next_cursor"]
    raise AssertionError(f"more than {max_pages} pages of {symbol} {interval}")


def problem(response: httpx.Response) -> dict[str, Any]:
    """The RFC 9457 body of an error response, after checking its media type and status."""
    media_type = response.headers.get("content-type", "").split(";")[0].strip()
    assert media_type == PROBLEM_JSON, f"{response.status_code} {media_type}: {response.text}"
    body: dict[str, Any] = response.json()
    assert body.get("status") == response.status_code, body
    assert body.get("title"), body
    return body
