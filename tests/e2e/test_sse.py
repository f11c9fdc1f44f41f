"""Issue 6, done when: an SSE client gets quotes for its symbols only, and after a reconnect
with `Last-Event-ID` the completed bars it missed (services/gateway README, SSE). Payload
times read as in REST bodies (RFC 3339 UTC), every other field as published.

A stack of its own, the simulator at 120x (a 1m bar closes every half second): four
symbols on the watchlist, the client asks for two of them.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import nats
import pytest

from tests.support.jetstream_log import StoredMessage, read_stream
from tests.support.live_flow import live_overrides, subscribe
from tests.support.sse import SseEvent, read_until
from tests.support.stack_runner import E2eStack, start_stack
from tests.support.waiting import wait_until

WANTED = ("BINANCE:BTCUSDT", "FX:EURUSD")
OTHERS = ("BINANCE:ETHUSDT", "BINANCE:SOLUSDT")
MISSED_AT_LEAST = 20  # completed bars of WANTED published while the client is away


@pytest.fixture(scope="module")
def live_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[E2eStack]:
    overrides = live_overrides(120.0, timedelta(hours=3))
    stack = start_stack(tmp_path_factory.mktemp("sse") / "pq", ready_timeout=150.0, **overrides)
    try:
        with httpx.Client(
            base_url=stack.gateway_url, headers=stack.auth_headers(), timeout=30
        ) as client:
            subscribe(client, WANTED + OTHERS)
        yield stack
    finally:
        stack.stop()


def events_url(stack: E2eStack) -> str:
    return f"{stack.gateway_url}/v1/stream/events?symbols={','.join(WANTED)}"


def stream_client(stack: E2eStack) -> httpx.Client:
    return httpx.Client(headers=stack.auth_headers(), timeout=httpx.Timeout(10, read=25))


def completed_bars_after(stack: E2eStack, after: int) -> list[StoredMessage]:
    """BarCompleted of WANTED in PQ_BARS with a sequence above `after`."""

    async def read() -> list[StoredMessage]:
        nc = await nats.connect(stack.nats_url, name="e2e-sse", connect_timeout=5)
        try:
            return await read_stream(nc, "PQ_BARS", "pq.bars.completed.>")
        finally:
            await nc.close()

    stored = asyncio.run(read())
    return [m for m in stored if m.seq > after and m.payload["symbol"] in WANTED]


def kinds(events: list[SseEvent], kind: str) -> list[SseEvent]:
    return [e for e in events if e.event == kind]


def as_in_rest(payload: dict[str, Any], field: str) -> dict[str, Any]:
    """The stored event payload with its epoch-ms time as REST bodies write it (these
    times are whole seconds, so `isoformat` writes no fraction, as REST does not)."""
    moment = datetime.fromtimestamp(payload[field] / 1000, UTC)
    return payload | {field: moment.isoformat().replace("+00:00", "Z")}


def test_quotes_arrive_for_the_requested_symbols_only(live_stack: E2eStack) -> None:
    with stream_client(live_stack) as client, client.stream("GET", events_url(live_stack)) as r:
        assert r.status_code == 200, r.read()
        assert r.headers["content-type"].startswith("text/event-stream")
        events = read_until(
            r,
            lambda evs: all(
                sum(e.json()["symbol"] == s for e in kinds(evs, "quote")) >= 20 for s in WANTED
            ),
            within=60,
            what="20 quotes of each wanted symbol",
        )
    symbols = {e.json()["symbol"] for e in events if e.event != "message"}
    assert symbols == set(WANTED), f"events for {symbols}, asked for {WANTED}"
    quotes = [e.json() for e in kinds(events, "quote")]
    assert all({"price", "volume", "ts"} <= set(q) for q in quotes), quotes[:3]
    for q in quotes:  # RFC 3339 UTC, milliseconds only when there are some
        assert datetime.fromisoformat(q["ts"]).utcoffset() == timedelta(0), q
        assert q["ts"].endswith("Z"), q
    assert all(e.id is None for e in kinds(events, "quote")), "quotes carry no event id"


def test_a_reconnect_with_last_event_id_gets_exactly_the_missed_bars(
    live_stack: E2eStack,
) -> None:
    url = events_url(live_stack)
    with stream_client(live_stack) as client:
        with client.stream("GET", url) as first:
            seen = read_until(
                first,
                lambda evs: len(kinds(evs, "bar.completed")) >= 3,
                within=60,
                what="3 completed bars",
            )
        last_id = int(kinds(seen, "bar.completed")[-1].id or 0)
        assert last_id > 0, "bar.completed without an id"

        # Away: bars keep completing. Wait until enough of ours are stored after last_id.
        def enough_missed() -> list[StoredMessage] | None:
            missed = completed_bars_after(live_stack, last_id)
            return missed if len(missed) >= MISSED_AT_LEAST else None

        missed = wait_until(
            enough_missed,
            timeout=60,
            interval=1.0,
            what=f"{MISSED_AT_LEAST} completed bars published while disconnected",
        )
        assert missed is not None
        headers = {"Last-Event-ID": str(last_id)}
        with client.stream("GET", url, headers=headers) as second:
            assert second.status_code == 200, second.read()
            wanted_up_to = missed[-1].seq
            replayed = read_until(
                second,
                lambda evs: any(
                    int(e.id or 0) >= wanted_up_to for e in kinds(evs, "bar.completed")
                ),
                within=60,
                what=f"replay up to sequence {wanted_up_to}",
            )
    bars = [(int(e.id or 0), e.json()) for e in kinds(replayed, "bar.completed")]
    got = [(seq, p) for seq, p in bars if seq <= wanted_up_to]
    expected = [(m.seq, as_in_rest(m.payload, "t")) for m in missed]
    assert [s for s, _ in got] == [s for s, _ in expected], (
        f"replayed sequences after {last_id}: {[s for s, _ in got][:30]}, "
        f"expected {[s for s, _ in expected][:30]}\n{live_stack.logs(20)}"
    )
    assert got == expected, "replayed payloads differ from the stored BarCompleted"
    ids = [seq for seq, _ in bars]
    assert ids == sorted(set(ids)), f"completed bars repeated or out of order: {ids[:40]}"
    assert {p["symbol"] for _, p in bars} <= set(WANTED)
