"""Reads: validated at the gateway, then forwarded to the query service byte for byte."""

from __future__ import annotations

import httpx
import pytest

from tests.unit.gateway.conftest import QueryDouble
from tests.unit.gateway.problem_asserts import assert_problem

BARS_BODY = b'{"symbol":"NASDAQ:AAPL","interval":"1h","bars":[],"next_cursor":null}'


async def test_bars_are_forwarded_with_the_same_query_string(
    gateway_client: httpx.AsyncClient, query_double: QueryDouble
) -> None:
    query_double.respond = lambda _r: httpx.Response(
        200, content=BARS_BODY, headers={"content-type": "application/json"}
    )
    response = await gateway_client.get(
        "/v1/bars?symbol=NASDAQ%3AAAPL&interval=1h&start=2024-01-01T00:00:00Z&limit=5&sort=desc",
        headers={"X-Correlation-ID": "c-1"},
    )
    assert response.status_code == 200
    assert response.content == BARS_BODY
    assert response.headers["content-type"] == "application/json"
    [sent] = query_double.requests
    assert sent.url.raw_path == (
        b"/v1/bars?symbol=NASDAQ%3AAAPL&interval=1h&start=2024-01-01T00:00:00Z&limit=5&sort=desc"
    )
    assert sent.headers["x-correlation-id"] == "c-1"


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/v1/symbols/NYSE%3ABRK.B", b"/v1/symbols/NYSE%3ABRK.B"),
        ("/v1/symbols/NYSE:BRK.B", b"/v1/symbols/NYSE%3ABRK.B"),
        ("/v1/symbols/nyse:brk.b", b"/v1/symbols/NYSE%3ABRK.B"),
        ("/v1/quotes/CME_MINI%3AES1%21", b"/v1/quotes/CME_MINI%3AES1%21"),
        ("/v1/sync/abc123", b"/v1/sync/abc123"),
        ("/v1/symbols", b"/v1/symbols"),
    ],
)
async def test_paths_are_forwarded_canonical_and_encoded(
    gateway_client: httpx.AsyncClient, query_double: QueryDouble, path: str, expected: bytes
) -> None:
    response = await gateway_client.get(path)
    assert response.status_code == 200, response.text
    assert query_double.requests[0].url.raw_path == expected


async def test_query_404_becomes_a_404_problem(
    gateway_client: httpx.AsyncClient, query_double: QueryDouble
) -> None:
    query_double.respond = lambda _r: httpx.Response(404, json={"detail": "nope"})
    body = assert_problem(await gateway_client.get("/v1/sync/unknownjob"), 404)
    assert "unknownjob" in body["detail"]


async def test_query_failure_becomes_a_502_problem(
    gateway_client: httpx.AsyncClient, query_double: QueryDouble
) -> None:
    query_double.respond = lambda _r: httpx.Response(500, text="Traceback: boom")
    response = await gateway_client.get("/v1/symbols")
    assert_problem(response, 502)
    assert "boom" not in response.text


async def test_query_unreachable_becomes_a_503_problem(
    gateway_client: httpx.AsyncClient, query_double: QueryDouble
) -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    query_double.respond = refuse
    assert_problem(await gateway_client.get("/v1/quotes/NASDAQ:AAPL"), 503)


async def test_query_4xx_passes_through(
    gateway_client: httpx.AsyncClient, query_double: QueryDouble
) -> None:
    problem = b'{"type":"about:blank","title":"Bad Request","status":400,"detail":"bad cursor"}'
    query_double.respond = lambda _r: httpx.Response(
        400, content=problem, headers={"content-type": "application/problem+json"}
    )
    response = await gateway_client.get("/v1/bars?symbol=A:B&interval=1h&cursor=zzz")
    assert response.status_code == 400
    assert response.content == problem


BAD_BARS_QUERIES = [
    ("interval=1h", "query.symbol"),
    ("symbol=AAPL&interval=1h", "query.symbol"),
    ("symbol=A:B", "query.interval"),
    ("symbol=A:B&interval=7m", "query.interval"),
    ("symbol=A:B&interval=1h&limit=0", "query.limit"),
    ("symbol=A:B&interval=1h&limit=10001", "query.limit"),
    ("symbol=A:B&interval=1h&limit=abc", "query.limit"),
    ("symbol=A:B&interval=1h&limit=" + "9" * 40, "query.limit"),
    ("symbol=A:B&interval=1h&start=yesterday", "query.start"),
    ("symbol=A:B&interval=1h&end=2024-13-01T00:00:00Z", "query.end"),
    ("symbol=A:B&interval=1h&start=2024-01-02T00:00:00Z&end=2024-01-01T00:00:00Z", "query.end"),
    ("symbol=A:B&interval=1h&start=99999999999999999999", "query.start"),
    ("symbol=A:B&interval=1h&sort=up", "query.sort"),
    ("symbol=A:B&interval=1h&fill=zero", "query.fill"),
    ("symbol=A:B&interval=1h&cursor=" + "c" * 600, "query.cursor"),
]


@pytest.mark.parametrize(("query", "field"), BAD_BARS_QUERIES)
async def test_bad_bars_query_is_422_naming_the_parameter(
    gateway_client: httpx.AsyncClient, query_double: QueryDouble, query: str, field: str
) -> None:
    assert_problem(await gateway_client.get(f"/v1/bars?{query}"), 422, field)
    assert not query_double.requests


@pytest.mark.parametrize(
    "path",
    [
        "/v1/symbols/AAPL",
        "/v1/quotes/NASDAQ%3A",
        "/v1/quotes/A%3AB%3AC",
        "/v1/stream/subscriptions/NO_COLON",
        "/v1/quotes/" + "A:" + "B" * 70,
    ],
)
async def test_bad_symbol_in_path_is_422(
    gateway_client: httpx.AsyncClient, query_double: QueryDouble, path: str
) -> None:
    response = await (
        gateway_client.put(path) if "subscriptions" in path else gateway_client.get(path)
    )
    assert_problem(response, 422, "path.symbol")
    assert not query_double.requests


async def test_bad_job_id_is_422(gateway_client: httpx.AsyncClient) -> None:
    assert_problem(await gateway_client.get("/v1/sync/" + "x" * 65), 422, "path.job_id")
