"""The pure-ASGI fast path of the forwarded reads answers as the FastAPI routes do."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI

from pq_gateway.api.forwarded_reads import ForwardedReadsMiddleware
from pq_gateway.main import create_app
from tests.unit.gateway.conftest import QueryDouble
from tests.unit.gateway.problem_asserts import assert_problem

TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"


@pytest.mark.parametrize(
    ("path", "upstream"),
    [
        ("/v1/symbols?x=1&y=%20", "/v1/symbols?x=1&y=%20"),
        ("/v1/symbols/nyse:brk.b?z=2", "/v1/symbols/NYSE%3ABRK.B?z=2"),
        ("/v1/quotes/CME_MINI%3AES1!", "/v1/quotes/CME_MINI%3AES1%21"),
    ],
)
async def test_forwards_path_query_and_context(
    gateway_client: httpx.AsyncClient, query_double: QueryDouble, path: str, upstream: str
) -> None:
    response = await gateway_client.get(
        path, headers={"X-Correlation-ID": "corr-1", "traceparent": TRACEPARENT}
    )
    assert response.status_code == 200, response.text
    assert response.json() == {"ok": True}
    assert response.headers["x-correlation-id"] == "corr-1"
    sent = query_double.requests[-1]
    assert sent.url.raw_path.decode() == upstream
    assert sent.headers["x-correlation-id"] == "corr-1"
    # The caller's trace continues upstream: same trace id (the span id is the gateway's
    # own server span when a tracer provider is installed, the caller's otherwise).
    assert sent.headers["traceparent"].split("-")[1] == TRACEPARENT.split("-")[1]


async def test_a_malformed_traceparent_is_not_passed_on(
    gateway_client: httpx.AsyncClient, query_double: QueryDouble
) -> None:
    await gateway_client.get("/v1/symbols", headers={"traceparent": "garbage"})
    forwarded = query_double.requests[-1].headers.get("traceparent")
    # Never the garbage; at most a fresh, well-formed context of the gateway's own.
    assert forwarded is None or re.fullmatch(r"00-[0-9a-f]{32}-[0-9a-f]{16}-0[0-3]", forwarded)


@pytest.mark.parametrize("path", ["/v1/quotes/", "/v1/symbols/AAPL", "/v1/quotes/NASDAQ:"])
async def test_a_bad_path_symbol_is_a_422_naming_it(
    gateway_client: httpx.AsyncClient, path: str
) -> None:
    body = assert_problem(await gateway_client.get(path), 422)
    assert [e["field"] for e in body["errors"]] == ["path.symbol"]
    assert body["instance"] == path


async def test_other_methods_still_go_through_fastapi(gateway_client: httpx.AsyncClient) -> None:
    response = await gateway_client.post("/v1/symbols", json={})
    assert_problem(response, 405)


def _is_fast_path(middleware: object) -> bool:
    return middleware is ForwardedReadsMiddleware


@pytest.fixture
async def routes_only_client(gateway_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """The same app and resources with the fast path taken out: FastAPI's routes answer."""
    app = create_app(gateway_app.state.resources.settings)
    app.user_middleware = [m for m in app.user_middleware if not _is_fast_path(m.cls)]
    app.state.resources = gateway_app.state.resources
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://gateway.test") as client:
        yield client


SAME_ANSWER_PATHS = [
    "/v1/bars",
    "/v1/bars?symbol=nyse:brk.b&interval=1d&start=2024-01-01T00:00:00Z&limit=5&sort=desc",
    "/v1/bars?symbol=A:B&symbol=C:D&interval=1h&limit=3&limit=x",
    "/v1/bars?symbol=A:B+C&interval=1H&fill=zero&cursor=" + "c" * 600,
    "/v1/bars?symbol=A:B&interval=1h&start=2024-01-02T00:00:00Z&end=1704067200000",
    "/v1/bars?symbol=%E9:B&interval=1h&start=&limit=1.0&x=%FF",
    "/v1/bars?symbol",
    "/v1/sync/job_id-1?a=1",
    "/v1/sync/" + "x" * 65,
    "/v1/sync/a.b",
    "/v1/sync/missing",
]


@pytest.mark.parametrize("path", SAME_ANSWER_PATHS)
async def test_the_fast_path_answers_as_the_declared_routes(
    gateway_client: httpx.AsyncClient,
    routes_only_client: httpx.AsyncClient,
    query_double: QueryDouble,
    path: str,
) -> None:
    def respond(request: httpx.Request) -> httpx.Response:
        status = 404 if b"missing" in request.url.raw_path else 200
        return httpx.Response(status, content=request.url.raw_path, headers={"etag": "e"})

    query_double.respond = respond
    headers = {"X-Correlation-ID": "corr-1"}
    fast = await gateway_client.get(httpx.URL(path), headers=headers)
    sent_fast = [r.url.raw_path for r in query_double.requests]
    query_double.requests.clear()
    routed = await routes_only_client.get(httpx.URL(path), headers=headers)
    sent_routed = [r.url.raw_path for r in query_double.requests]
    assert (fast.status_code, fast.content) == (routed.status_code, routed.content)
    assert fast.headers.items() - {("date", fast.headers.get("date"))} == (
        routed.headers.items() - {("date", routed.headers.get("date"))}
    )
    assert sent_fast == sent_routed


@pytest.mark.parametrize(("path", "status"), [("/v1/sync/", 307), ("/v1/sync/a%2Fb", 404)])
async def test_paths_fastapi_would_not_route_to_a_job_are_left_to_it(
    gateway_client: httpx.AsyncClient, query_double: QueryDouble, path: str, status: int
) -> None:
    response = await gateway_client.get(httpx.URL(path))
    assert response.status_code == status
    assert not query_double.requests


async def test_metrics_name_the_route_templates(gateway_client: httpx.AsyncClient) -> None:
    await gateway_client.get("/v1/bars?symbol=A:B&interval=1h")
    await gateway_client.get("/v1/sync/abc")
    metrics = (await gateway_client.get("/metrics")).text
    assert 'method="GET",route="/v1/bars",status="200"' in metrics
    assert 'method="GET",route="/v1/sync/{job_id}",status="200"' in metrics
