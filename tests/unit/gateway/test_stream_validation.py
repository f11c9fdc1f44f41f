"""GET /v1/stream/events input rules and the SSE frame format."""

from __future__ import annotations

import httpx
import pytest

from pq_gateway.streaming.frames import SseEvent, comment
from tests.unit.gateway.problem_asserts import assert_problem


@pytest.mark.parametrize(
    "symbols", ["", ",", "AAPL", "NASDAQ:AAPL,bad", ",".join(f"X:S{i}" for i in range(51))]
)
async def test_bad_symbols_are_422(gateway_client: httpx.AsyncClient, symbols: str) -> None:
    response = await gateway_client.get("/v1/stream/events", params={"symbols": symbols})
    assert_problem(response, 422, "query.symbols")


async def test_missing_symbols_is_422(gateway_client: httpx.AsyncClient) -> None:
    assert_problem(await gateway_client.get("/v1/stream/events"), 422, "query.symbols")


@pytest.mark.parametrize(
    "last_event_id",
    ["abc", "-1", "1.5", "9" * 30, "9" * 19, b"\xb2", b"\xc2\xb2", "\u0661".encode(), b"\xb9\xb2"],
)
async def test_bad_last_event_id_is_400(
    gateway_client: httpx.AsyncClient, last_event_id: str | bytes
) -> None:
    """Superscript and other non-ASCII digits pass str.isdigit() but not int(): a 400."""
    response = await gateway_client.get(
        "/v1/stream/events",
        params={"symbols": "NASDAQ:AAPL"},
        headers={"Last-Event-ID": last_event_id},  # type: ignore[arg-type]  # httpx sends bytes too
    )
    assert_problem(response, 400, "header.last-event-id")


async def test_nats_down_is_503(gateway_client: httpx.AsyncClient) -> None:
    response = await gateway_client.get("/v1/stream/events", params={"symbols": "NASDAQ:AAPL"})
    assert_problem(response, 503)


def test_event_frame_with_id_and_multiline_data() -> None:
    frame = SseEvent("bar.completed", b'{"a":1}\n{"b":2}', id="17").encode()
    assert frame == b'id: 17\nevent: bar.completed\ndata: {"a":1}\ndata: {"b":2}\n\n'


def test_event_frame_without_id() -> None:
    assert SseEvent("quote", b"{}").encode() == b"event: quote\ndata: {}\n\n"


def test_comment_frame() -> None:
    assert comment("heartbeat") == b": heartbeat\n\n"
