"""Reads forwarded to a real HTTP peer (standing in for the query service), and /health."""

from __future__ import annotations

import httpx
import pytest
from nats.aio.client import Client

from pq_gateway.main import create_app
from pq_gateway.settings import GatewaySettings
from pq_launcher.ports import free_port
from tests.integration.gateway.query_peer import QueryPeer
from tests.support.serving import serving

BARS = b'{"symbol":"NYSE:BRK.B","interval":"1h","bars":[{"t":"2024-01-01T00:00:00Z","o":1,"h":2,"l":0.5,"c":1.5,"v":3}],"next_cursor":"abc"}'  # noqa: E501


async def test_reads_are_forwarded_byte_for_byte(gateway_url: str, query_peer: QueryPeer) -> None:
    query_peer.responses["/v1/bars"] = (200, BARS, "application/json")
    query_peer.responses["/v1/symbols/NYSE:BRK.B"] = (
        200,
        b'{"symbol":"NYSE:BRK.B"}',
        "application/json",
    )
    async with httpx.AsyncClient(base_url=gateway_url) as http:
        bars = await http.get(
            "/v1/bars?symbol=NYSE%3ABRK.B&interval=1h&start=1704067200000&limit=2",
            headers={"X-Correlation-ID": "fw-1"},
        )
        symbol = await http.get("/v1/symbols/NYSE%3ABRK.B")
        unknown = await http.get("/v1/sync/nosuchjob")

    assert bars.status_code == 200
    assert bars.content == BARS
    assert bars.headers["content-type"] == "application/json"
    assert symbol.json() == {"symbol": "NYSE:BRK.B"}
    assert unknown.status_code == 404
    assert unknown.headers["content-type"] == "application/problem+json"

    forwarded = [r for r in query_peer.requests if r.raw_path != b"/health"]
    assert forwarded[0].raw_path == b"/v1/bars"
    assert forwarded[0].query == b"symbol=NYSE%3ABRK.B&interval=1h&start=1704067200000&limit=2"
    assert forwarded[0].headers["x-correlation-id"] == "fw-1"
    assert forwarded[1].raw_path == b"/v1/symbols/NYSE%3ABRK.B"
    assert forwarded[2].raw_path == b"/v1/sync/nosuchjob"


async def test_health_is_200_when_every_dependency_is_up(gateway_url: str) -> None:
    async with httpx.AsyncClient(base_url=gateway_url) as http:
        response = await http.get("/health")
    assert response.status_code == 200, response.text
    assert response.json() == {
        "status": "ok",
        "dependencies": {
            "nats": {"status": "up"},
            "redis": {"status": "up"},
            "query": {"status": "up"},
        },
    }


@pytest.fixture
def settings_without_query(gateway_settings: GatewaySettings) -> GatewaySettings:
    # A port nobody listens on: the query service is down.
    return gateway_settings.model_copy(update={"query_url": f"http://127.0.0.1:{free_port()}"})


async def test_query_down_is_503_on_health_and_reads(
    settings_without_query: GatewaySettings, nc: Client
) -> None:
    async with (
        serving(create_app(settings_without_query)) as url,
        httpx.AsyncClient(base_url=url) as http,
    ):
        health = await http.get("/health")
        quote = await http.get("/v1/quotes/NASDAQ:AAPL")
    assert health.status_code == 503
    assert health.json()["dependencies"]["query"]["status"] == "down"
    assert health.json()["dependencies"]["nats"]["status"] == "up"
    assert quote.status_code == 503
    assert quote.headers["content-type"] == "application/problem+json"


async def test_gateway_starts_and_reports_nats_down(gateway_settings: GatewaySettings) -> None:
    settings = gateway_settings.model_copy(update={"nats_url": f"nats://127.0.0.1:{free_port()}"})
    async with serving(create_app(settings)) as url, httpx.AsyncClient(base_url=url) as http:
        health = await http.get("/health")
        sync = await http.post(
            "/v1/sync", json={"symbol": "NASDAQ:AAPL", "interval": "1h", "bars": 1}
        )
        watch = await http.put("/v1/stream/subscriptions/NASDAQ:AAPL")
    assert health.status_code == 503
    assert health.json()["dependencies"]["nats"]["status"] == "down"
    assert sync.status_code == 503
    assert watch.status_code == 503
