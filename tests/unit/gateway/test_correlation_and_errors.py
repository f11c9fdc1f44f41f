"""X-Correlation-ID on every response; generic errors as problems; no stack traces."""

from __future__ import annotations

import dataclasses
import re

import httpx
import pytest
from fastapi import FastAPI

from pq_gateway.adapters.command_publisher import JetStreamCommandPublisher
from pq_gateway.edge.correlation import accepted_correlation_id
from tests.unit.gateway.problem_asserts import assert_problem

MINTED = re.compile(r"[0-9a-f]{32}")


@pytest.mark.parametrize("given", ["abc", "req-1.2:3_x", "A" * 128])
async def test_a_well_formed_id_is_echoed(gateway_client: httpx.AsyncClient, given: str) -> None:
    response = await gateway_client.get("/nope", headers={"X-Correlation-ID": given})
    assert response.headers["x-correlation-id"] == given


@pytest.mark.parametrize("given", ["", "A" * 129, "has space", "semi;colon", "new\tline", "é"])
async def test_a_malformed_id_is_replaced(gateway_client: httpx.AsyncClient, given: str) -> None:
    response = await gateway_client.get(
        "/nope", headers=[(b"X-Correlation-ID", given.encode("utf-8"))]
    )
    assert MINTED.fullmatch(response.headers["x-correlation-id"])


async def test_an_id_is_minted_when_absent(gateway_client: httpx.AsyncClient) -> None:
    first = await gateway_client.get("/nope")
    second = await gateway_client.get("/nope")
    ids = {first.headers["x-correlation-id"], second.headers["x-correlation-id"]}
    assert len(ids) == 2
    assert all(MINTED.fullmatch(i) for i in ids)


def test_accepted_correlation_id_rules() -> None:
    assert accepted_correlation_id(b"ok-1") == "ok-1"
    assert MINTED.fullmatch(accepted_correlation_id(None))
    assert MINTED.fullmatch(accepted_correlation_id(b"x" * 200))


async def test_unknown_route_is_a_404_problem(gateway_client: httpx.AsyncClient) -> None:
    body = assert_problem(await gateway_client.get("/v1/nothing"), 404)
    assert body["instance"] == "/v1/nothing"


async def test_wrong_method_is_a_405_problem_with_allow(gateway_client: httpx.AsyncClient) -> None:
    response = await gateway_client.delete("/v1/sync")
    assert_problem(response, 405)
    assert response.headers["allow"] == "POST"


async def test_an_unexpected_error_is_a_500_problem_without_internals(
    gateway_app: FastAPI, gateway_client: httpx.AsyncClient
) -> None:
    app = gateway_app

    @app.get("/boom")
    async def boom() -> None:
        raise RuntimeError("secret internal detail")

    app.middleware_stack = None  # rebuild with the new route
    response = await gateway_client.get("/boom", headers={"X-Correlation-ID": "trace-me"})
    body = assert_problem(response, 500)
    assert response.headers["x-correlation-id"] == "trace-me"
    assert "secret" not in response.text
    assert body["type"] == "urn:pq:problem:internal-error"


async def test_nats_down_makes_sync_a_503_problem(
    gateway_app: FastAPI, gateway_client: httpx.AsyncClient
) -> None:
    resources = gateway_app.state.resources  # its NatsLink never connected
    publisher = JetStreamCommandPublisher(resources.nats, timeout_s=1.0)
    gateway_app.state.resources = dataclasses.replace(resources, commands=publisher)
    response = await gateway_client.post(
        "/v1/sync", json={"symbol": "NASDAQ:AAPL", "interval": "1h", "bars": 10}
    )
    body = assert_problem(response, 503)
    assert body["type"] == "urn:pq:problem:dependency-unavailable"
    assert response.headers["retry-after"] == "1"
