"""The pure-ASGI fast path of /v1/symbols and /v1/quotes answers as the FastAPI routes did."""

from __future__ import annotations

import re

import httpx
import pytest

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
