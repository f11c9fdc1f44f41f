"""POST /v1/sync: accepted commands, and every bad input as a problem naming its field."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from pq_domain import Interval, Symbol
from tests.unit.gateway.conftest import RecordingCommands
from tests.unit.gateway.problem_asserts import assert_problem

JAN_1_2024_MS = 1_704_067_200_000


async def test_bars_form_is_published_and_accepted(
    gateway_client: httpx.AsyncClient, commands: RecordingCommands
) -> None:
    response = await gateway_client.post(
        "/v1/sync",
        json={"symbol": "nyse:brk.b", "interval": "1h", "bars": 5000},
        headers={"X-Correlation-ID": "req-42"},
    )
    assert response.status_code == 202, response.text
    body = response.json()
    assert body["status"] == "pending"
    assert response.headers["location"] == f"/v1/sync/{body['job_id']}"
    [(command, correlation_id, _)] = commands.published
    assert command.job_id == body["job_id"]
    assert command.symbol == Symbol("NYSE", "BRK.B")
    assert command.interval is Interval.H1
    assert (command.bars, command.start, command.end) == (5000, None, None)
    assert correlation_id == "req-42"


@pytest.mark.parametrize(
    ("start", "end"),
    [
        ("2024-01-01T00:00:00Z", "2024-01-02T00:00:00Z"),
        ("2024-01-01T01:00:00+01:00", "2024-01-02T00:00:00.000Z"),
        (JAN_1_2024_MS, JAN_1_2024_MS + 86_400_000),
        (str(JAN_1_2024_MS), str(JAN_1_2024_MS + 86_400_000)),
        (float(JAN_1_2024_MS), float(JAN_1_2024_MS + 86_400_000)),  # JSON Schema integers
    ],
)
async def test_range_form_accepts_rfc3339_and_epoch_ms(
    gateway_client: httpx.AsyncClient, commands: RecordingCommands, start: Any, end: Any
) -> None:
    response = await gateway_client.post(
        "/v1/sync", json={"symbol": "NASDAQ:AAPL", "interval": "1d", "start": start, "end": end}
    )
    assert response.status_code == 202, response.text
    [(command, _, _)] = commands.published
    assert (command.bars, command.start, command.end) == (
        None,
        JAN_1_2024_MS,
        JAN_1_2024_MS + 86_400_000,
    )


async def test_bars_may_be_an_integral_float(
    gateway_client: httpx.AsyncClient, commands: RecordingCommands
) -> None:
    response = await gateway_client.post(
        "/v1/sync", json={"symbol": "NASDAQ:AAPL", "interval": "1h", "bars": 500.0}
    )
    assert response.status_code == 202, response.text
    [(command, _, _)] = commands.published
    assert command.bars == 500


async def test_traceparent_from_the_caller_is_passed_on(
    gateway_client: httpx.AsyncClient, commands: RecordingCommands
) -> None:
    traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
    await gateway_client.post(
        "/v1/sync",
        json={"symbol": "NASDAQ:AAPL", "interval": "1h", "bars": 10},
        headers={"traceparent": traceparent},
    )
    [(_, _, passed)] = commands.published
    # The caller's trace continues (same trace id); the parent is the gateway's own span
    # when a tracer provider is installed, the caller's span when none is.
    assert passed is not None
    assert passed.split("-")[1] == traceparent.split("-")[1]


VALID = {"symbol": "NASDAQ:AAPL", "interval": "1h"}

BAD_BODIES: list[tuple[str, Any, str]] = [
    ("missing symbol", {"interval": "1h", "bars": 10}, "body.symbol"),
    ("symbol without exchange", {**VALID, "symbol": "AAPL", "bars": 10}, "body.symbol"),
    ("symbol with space", {**VALID, "symbol": "NASDAQ:AA PL", "bars": 10}, "body.symbol"),
    ("symbol too long", {**VALID, "symbol": "X:" + "A" * 80, "bars": 10}, "body.symbol"),
    ("symbol not a string", {**VALID, "symbol": 12, "bars": 10}, "body.symbol"),
    ("unknown interval", {**VALID, "interval": "2h", "bars": 10}, "body.interval"),
    ("missing interval", {"symbol": "NASDAQ:AAPL", "bars": 10}, "body.interval"),
    ("zero bars", {**VALID, "bars": 0}, "body.bars"),
    ("negative bars", {**VALID, "bars": -5}, "body.bars"),
    ("too many bars", {**VALID, "bars": 20_001}, "body.bars"),
    ("huge bars", {**VALID, "bars": 10**40}, "body.bars"),
    ("bars as text", {**VALID, "bars": "100"}, "body.bars"),
    ("bars as float", {**VALID, "bars": 1.5}, "body.bars"),
    ("bars as inf", {**VALID, "bars": float("inf")}, "body.bars"),
    ("start a fraction of ms", {**VALID, "start": 1.5, "end": 1000}, "body.start"),
    ("bars as bool", {**VALID, "bars": True}, "body.bars"),
    ("both forms", {**VALID, "bars": 10, "start": 0, "end": 1000}, "body.bars"),
    ("neither form", VALID, "body"),
    ("start without end", {**VALID, "start": JAN_1_2024_MS}, "body.end"),
    ("end without start", {**VALID, "end": JAN_1_2024_MS}, "body.start"),
    ("start equals end", {**VALID, "start": JAN_1_2024_MS, "end": JAN_1_2024_MS}, "body.end"),
    ("start after end", {**VALID, "start": "2024-02-01T00:00:00Z", "end": 0}, "body.end"),
    ("start not a time", {**VALID, "start": "yesterday", "end": 1}, "body.start"),
    ("start naive", {**VALID, "start": "2024-01-01T00:00:00", "end": 1}, "body.start"),
    ("start negative", {**VALID, "start": -1, "end": 1}, "body.start"),
    ("start beyond 9999", {**VALID, "start": 10**20, "end": 10**21}, "body.start"),
    ("start as object", {**VALID, "start": {"a": 1}, "end": 1}, "body.start"),
    ("unknown field", {**VALID, "bars": 10, "bar": 10}, "body.bar"),
    ("body is a list", [VALID], "body"),
    ("body is null", None, "body"),
]


@pytest.mark.parametrize(("case", "body", "field"), BAD_BODIES, ids=[c[0] for c in BAD_BODIES])
async def test_bad_body_is_422_naming_the_field(
    gateway_client: httpx.AsyncClient,
    commands: RecordingCommands,
    case: str,
    body: Any,
    field: str,
) -> None:
    response = await gateway_client.post(
        "/v1/sync", content=json.dumps(body), headers={"Content-Type": "application/json"}
    )
    problem = assert_problem(response, 422, field)
    assert problem["instance"] == "/v1/sync"
    assert not commands.published, case


@pytest.mark.parametrize(
    "raw",
    [b"{", b'{"symbol": "NASDAQ:AAPL",}', b"\xff\xfe", b'{"bars": 1e999999}', b"NaN"],
)
async def test_malformed_json_is_400(gateway_client: httpx.AsyncClient, raw: bytes) -> None:
    response = await gateway_client.post(
        "/v1/sync", content=raw, headers={"Content-Type": "application/json"}
    )
    if response.status_code == 422:  # some of these parse (1e999999 is inf) but are invalid
        assert_problem(response, 422)
    else:
        assert_problem(response, 400, "body")


@pytest.mark.parametrize("content_type", [None, "text/plain", "application/x-www-form-urlencoded"])
async def test_non_json_body_is_415(
    gateway_client: httpx.AsyncClient, content_type: str | None
) -> None:
    headers = {"Content-Type": content_type} if content_type else {}
    response = await gateway_client.post(
        "/v1/sync", content=b'{"symbol":"NASDAQ:AAPL","interval":"1h","bars":1}', headers=headers
    )
    assert_problem(response, 415)


async def test_json_with_charset_is_accepted(gateway_client: httpx.AsyncClient) -> None:
    response = await gateway_client.post(
        "/v1/sync",
        content=b'{"symbol":"NASDAQ:AAPL","interval":"1h","bars":1}',
        headers={"Content-Type": "application/json; charset=utf-8"},
    )
    assert response.status_code == 202, response.text


async def test_body_over_the_limit_is_413_by_content_length(
    gateway_client: httpx.AsyncClient, commands: RecordingCommands
) -> None:
    big = {"symbol": "NASDAQ:AAPL", "interval": "1h", "bars": 1, "pad": "x" * 5000}
    response = await gateway_client.post("/v1/sync", json=big)
    assert_problem(response, 413)
    assert not commands.published


async def test_chunked_body_over_the_limit_is_413(gateway_client: httpx.AsyncClient) -> None:
    async def chunks() -> Any:
        for _ in range(10):
            yield b" " * 1000

    response = await gateway_client.post(
        "/v1/sync", content=chunks(), headers={"Content-Type": "application/json"}
    )
    assert_problem(response, 413)
