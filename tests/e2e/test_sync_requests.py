"""Issue 5, done when: unknown symbols fail the job by name, bad requests get problem+json
naming the field (never a 500), and every response carries X-Correlation-ID."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from pq_gateway.settings import GatewaySettings
from tests.support.pq_rest import problem, start_sync, wait_job
from tests.support.stack_runner import E2eStack

GOOD: dict[str, Any] = {"symbol": "NASDAQ:AAPL", "interval": "1h", "bars": 10}

MALFORMED_BODIES: dict[str, tuple[dict[str, Any], str]] = {
    "missing symbol": ({"interval": "1h", "bars": 10}, "symbol"),
    "missing interval": ({"symbol": "NASDAQ:AAPL", "bars": 10}, "interval"),
    "unknown interval": ({**GOOD, "interval": "7m"}, "interval"),
    "bars zero": ({**GOOD, "bars": 0}, "bars"),
    "bars above the maximum": ({**GOOD, "bars": GatewaySettings().sync_max_bars + 1}, "bars"),
    "bars not a number": ({**GOOD, "bars": "many"}, "bars"),
    "start after end": (
        {
            "symbol": "NASDAQ:AAPL",
            "interval": "1h",
            "start": "2024-06-01T00:00:00Z",
            "end": "2024-01-01T00:00:00Z",
        },
        "end",
    ),
    "start equals end": (
        {
            "symbol": "NASDAQ:AAPL",
            "interval": "1h",
            "start": "2024-06-01T00:00:00Z",
            "end": "2024-06-01T00:00:00Z",
        },
        "end",
    ),
    "symbol without exchange": ({**GOOD, "symbol": "AAPL"}, "symbol"),
    "symbol with a space": ({**GOOD, "symbol": "NASDAQ:AA PL"}, "symbol"),
    "symbol with an empty code": ({**GOOD, "symbol": "NASDAQ:"}, "symbol"),
    "neither bars nor range": ({"symbol": "NASDAQ:AAPL", "interval": "1h"}, "bars"),
}


def names_field(body: dict[str, Any], field: str) -> bool:
    """The problem points at `field` (in `errors[].field`, or else in its detail)."""
    fields = [str(e.get("field", "")) for e in body.get("errors", []) if isinstance(e, dict)]
    return any(field in f for f in fields) or field in str(body.get("detail", ""))


def test_an_unknown_symbol_ends_failed_with_an_error_naming_it(
    gateway_client: httpx.Client,
) -> None:
    job = wait_job(gateway_client, start_sync(gateway_client, "NASDAQ:NOSUCHSYM", "1h", 100))
    assert job["status"] == "failed", job
    assert "NASDAQ:NOSUCHSYM" in (job.get("error") or ""), job


@pytest.mark.parametrize("case", sorted(MALFORMED_BODIES))
def test_a_malformed_sync_gets_a_problem_naming_the_field(
    gateway_client: httpx.Client, case: str
) -> None:
    body, field = MALFORMED_BODIES[case]
    response = gateway_client.post("/v1/sync", json=body)

    assert 400 <= response.status_code < 500, f"{response.status_code} {response.text}"
    assert names_field(problem(response), field), f"{field} not named: {response.text}"


@pytest.mark.parametrize(
    ("content", "content_type"),
    [
        ('{"symbol": "NASDAQ:AAPL", "interval": ', "application/json"),
        ("[1, 2, 3]", "application/json"),
        (json.dumps(GOOD), "text/plain"),
    ],
    ids=["truncated json", "json not an object", "not json"],
)
def test_an_unreadable_sync_body_gets_a_4xx_problem(
    gateway_client: httpx.Client, content: str, content_type: str
) -> None:
    response = gateway_client.post(
        "/v1/sync", content=content, headers={"Content-Type": content_type}
    )
    assert 400 <= response.status_code < 500, f"{response.status_code} {response.text}"
    problem(response)


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"symbol": "NASDAQ:AAPL", "interval": "2h"}, "interval"),
        ({"symbol": "AAPL", "interval": "1h"}, "symbol"),
        ({"interval": "1h"}, "symbol"),
        ({"symbol": "NASDAQ:AAPL", "interval": "1h", "limit": 0}, "limit"),
        ({"symbol": "NASDAQ:AAPL", "interval": "1h", "cursor": "not-a-cursor"}, "cursor"),
    ],
    ids=["bad interval", "bad symbol", "no symbol", "limit 0", "forged cursor"],
)
def test_a_malformed_bars_query_gets_a_problem_naming_the_field(
    gateway_client: httpx.Client, params: dict[str, Any], field: str
) -> None:
    response = gateway_client.get("/v1/bars", params=params)
    assert 400 <= response.status_code < 500, f"{response.status_code} {response.text}"
    assert names_field(problem(response), field), f"{field} not named: {response.text}"


def test_an_unknown_job_is_a_404_problem(gateway_client: httpx.Client) -> None:
    response = gateway_client.get("/v1/sync/no-such-job-0123456789")
    assert response.status_code == 404
    problem(response)


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", "/health", None),
        ("POST", "/v1/sync", {**GOOD, "symbol": "NYSE:KO"}),
        ("POST", "/v1/sync", {**GOOD, "bars": 0}),
        ("GET", "/v1/sync/no-such-job", None),
        ("GET", "/v1/bars?symbol=NASDAQ:AAPL&interval=1h&limit=5", None),
        ("GET", "/v1/symbols", None),
        ("GET", "/v1/no-such-route", None),
    ],
    ids=["health", "sync 202", "sync 422", "job 404", "bars", "symbols", "route 404"],
)
def test_every_response_carries_x_correlation_id(
    gateway_client: httpx.Client, method: str, path: str, body: dict[str, Any] | None
) -> None:
    sent = gateway_client.request(method, path, json=body, headers={"X-Correlation-ID": "e2e-c1"})
    assert sent.headers.get("X-Correlation-ID") == "e2e-c1", (sent.status_code, sent.headers)

    minted = gateway_client.request(method, path, json=body)
    assert minted.headers.get("X-Correlation-ID"), (minted.status_code, minted.headers)
    assert minted.status_code < 500, minted.text


def test_v1_routes_refuse_a_request_without_the_dev_key(running_stack: E2eStack) -> None:
    assert running_stack.api_key, "pq up writes a dev admin key to <data dir>/dev-api-key"
    with httpx.Client(base_url=running_stack.gateway_url, timeout=10) as anonymous:
        response = anonymous.get("/v1/symbols", headers={"X-Correlation-ID": "e2e-anon"})
    assert response.status_code == 401, response.text
    problem(response)
    assert response.headers.get("X-Correlation-ID") == "e2e-anon"
