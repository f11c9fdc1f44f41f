"""GET /v1/bars bulk export through the gateway: the real query service behind it, the
body streamed through (the client has the first bytes before the query service has sent
the rest), exactly the JSON pages' bars, 406 for an Accept nothing matches."""

from __future__ import annotations

import asyncio
import io
from typing import Any

import httpx
import pyarrow as pa
import pytest
from nats.aio.client import Client
from starlette.types import Receive, Scope, Send

from pq_domain import Interval
from pq_gateway.main import create_app
from pq_gateway.settings import GatewaySettings
from pq_query.settings import QuerySettings
from tests.integration.query.events import T0, H, publish_sync, unique_symbol
from tests.support.bar_exports import awkward_bars, decode, from_json
from tests.support.serving import serving
from tests.support.waiting import wait_for

ARROW = "application/vnd.apache.arrow.stream"
FORMATS = ["text/csv", "application/vnd.apache.parquet", ARROW]


@pytest.fixture
def query_settings(query_settings: QuerySettings) -> QuerySettings:
    """Exports of several batches."""
    return query_settings.model_copy(update={"export_batch_bars": 500})


async def json_pages(http: httpx.AsyncClient, **params: Any) -> list[dict[str, Any]]:
    bars: list[dict[str, Any]] = []
    cursor = None
    while True:
        extra: dict[str, str] = {"cursor": cursor} if cursor else {}
        page = (await http.get("/v1/bars", params={**params, **extra})).json()
        bars.extend(page["bars"])
        cursor = page["next_cursor"]
        if cursor is None:
            return bars


async def test_exports_through_the_gateway_hold_the_json_pages_bars(
    gateway_settings: GatewaySettings, query_service_url: str, nc: Client
) -> None:
    symbol = unique_symbol()
    await publish_sync(nc.jetstream(), "job-gw-export", symbol, Interval.H1, awkward_bars(1800))
    settings = gateway_settings.model_copy(update={"query_url": query_service_url})
    params = {"symbol": str(symbol), "interval": "1h", "end": str(T0 + 1700 * H)}
    async with serving(create_app(settings)) as url, httpx.AsyncClient(base_url=url) as http:

        async def projected() -> bool:
            page = (await http.get("/v1/bars", params={**params, "limit": 1})).json()
            return page["coverage"] is not None and page["coverage"]["end"].startswith("2024-03")

        await wait_for(projected, timeout=30, what="bars projected")
        expected = from_json(await json_pages(http, **params, limit=600))
        assert len(expected) == 1700
        for media_type in FORMATS:
            answer = await http.get("/v1/bars", params=params, headers={"Accept": media_type})
            assert answer.status_code == 200, answer.text
            assert answer.headers["content-type"].startswith(media_type)
            assert "pq-coverage" in answer.headers
            assert "x-correlation-id" in answer.headers
            assert decode(media_type, answer.content) == expected, media_type

        refused = await http.get("/v1/bars", params=params, headers={"Accept": "image/png"})
        assert refused.status_code == 406
        assert refused.headers["content-type"] == "application/problem+json"
        assert ARROW in refused.json()["detail"]
        chosen = await http.get(
            "/v1/bars", params=params, headers={"Accept": "image/png, text/csv;q=0.5"}
        )
        assert chosen.headers["content-type"].startswith("text/csv")


class GatedExport:
    """A query service stand-in that sends an Arrow stream's first batch, then waits until
    the test says the client has it before sending the rest."""

    def __init__(self) -> None:
        self.client_has_first = asyncio.Event()
        table = pa.table({"t": pa.array([T0, T0 + H], pa.timestamp("ms", tz="UTC"))})
        sink = io.BytesIO()
        with pa.ipc.new_stream(sink, table.schema) as writer:
            writer.write_table(table)
        self.body = sink.getvalue()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        headers = [(b"content-type", ARROW.encode())]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": self.body[:-8], "more_body": True})
        await asyncio.wait_for(self.client_has_first.wait(), timeout=30)
        await send({"type": "http.response.body", "body": self.body[-8:]})


async def test_the_gateway_relays_an_export_as_it_comes(
    gateway_settings: GatewaySettings, nc: Client
) -> None:
    peer = GatedExport()
    async with serving(peer) as peer_url:
        settings = gateway_settings.model_copy(update={"query_url": peer_url})
        async with serving(create_app(settings)) as url, httpx.AsyncClient(base_url=url) as http:
            request = http.build_request(
                "GET", "/v1/bars?symbol=NASDAQ:AAPL&interval=1h", headers={"Accept": ARROW}
            )
            answer = await http.send(request, stream=True)
            received = b""
            async for chunk in answer.aiter_raw():
                received += chunk
                if len(received) >= len(peer.body) - 8:
                    peer.client_has_first.set()  # the rest is only sent now
            await answer.aclose()
    assert received == peer.body
    assert pa.ipc.open_stream(received).read_all().num_rows == 2
