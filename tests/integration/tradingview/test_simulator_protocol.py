"""The simulator at the wire level, with a bare WebSocket: what a client can rely on."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest

from pq_tradingview import Heartbeat, decode_message, encode_frame, encode_packet
from pq_tvsim import Simulator
from tests.support.waiting import wait_for

from .conftest import simulator_config


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


async def _packets(ws: aiohttp.ClientWebSocketResponse, *, echo: bool = True) -> list[Any]:
    msg = await ws.receive(timeout=5)
    if msg.type is not aiohttp.WSMsgType.TEXT:
        return [msg.type]
    packets = decode_message(msg.data)
    for packet in packets:
        if echo and isinstance(packet, Heartbeat):
            await ws.send_str(encode_frame(packet.payload))
    return packets


class Reader:
    """Packets in arrival order, across WebSocket messages."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        self.ws = ws
        self.pending: list[Any] = []

    async def until(self, method: str) -> dict[str, Any]:
        for _ in range(500):
            while self.pending:
                packet = self.pending.pop(0)
                if isinstance(packet, dict) and packet.get("m") == method:
                    return packet
            self.pending = await _packets(self.ws)
        raise AssertionError(f"no {method}")


async def test_hello_first_then_series_and_live_bar_updates(
    simulator: Simulator, http: aiohttp.ClientSession
) -> None:
    async with http.ws_connect(simulator.url) as ws:
        (hello,) = await _packets(ws)
        assert isinstance(hello, dict)
        assert "m" not in hello
        assert "session_id" in hello
        steps: list[tuple[str, list[Any]]] = [
            ("set_auth_token", ["unauthorized_user_token"]),
            ("chart_create_session", ["cs_test00000001", ""]),
            ("resolve_symbol", ["cs_test00000001", "sym", '={"symbol":"BINANCE:BTCUSDT"}']),
            ("create_series", ["cs_test00000001", "s1", "s1", "sym", "1", 10, ""]),
        ]
        for method, params in steps:
            await ws.send_str(encode_packet(method, params))
        reader = Reader(ws)
        update = await reader.until("timescale_update")
        bars = update["p"][1]["s1"]["s"]
        assert len(bars) == 10
        assert len(bars[0]["v"]) == 6
        await reader.until("series_completed")
        du = await reader.until("du")
        assert du["p"][1]["s1"]["s"][0]["v"][0] >= bars[-1]["v"][0]
        await ws.send_str(
            encode_packet("modify_series", ["cs_test00000001", "s1", "s2", "sym", "1D", ""])
        )
        modified = await reader.until("timescale_update")
        assert modified["p"][1]["s1"]["t"] == "s2"


async def test_quote_session_sends_a_snapshot_then_diffs(
    simulator: Simulator, http: aiohttp.ClientSession
) -> None:
    async with http.ws_connect(simulator.url) as ws:
        await _packets(ws)
        for method, params in [
            ("quote_create_session", ["qs_test00000001"]),
            ("quote_set_fields", ["qs_test00000001", "lp", "lp_time", "volume", "description"]),
            ("quote_add_symbols", ["qs_test00000001", "BINANCE:ETHUSDT"]),
        ]:
            await ws.send_str(encode_packet(method, params))
        reader = Reader(ws)
        snapshot = await reader.until("qsd")
        assert set(snapshot["p"][1]["v"]) == {"lp", "lp_time", "volume", "description"}
        await reader.until("quote_completed")
        diff = await reader.until("qsd")
        assert "description" not in diff["p"][1]["v"]
        assert diff["p"][1]["v"]


async def test_a_client_that_stops_echoing_heartbeats_is_dropped(
    http: aiohttp.ClientSession,
) -> None:
    config = simulator_config(heartbeat_interval_s=0.2, heartbeat_timeout_s=0.8)
    async with Simulator(config) as sim, http.ws_connect(sim.url) as ws:
        for _ in range(100):
            if aiohttp.WSMsgType.CLOSE in await _packets(ws, echo=False):
                break
        else:
            raise AssertionError("still connected")
        assert ws.closed or ws.close_code is not None


async def test_faults_are_set_over_http(simulator: Simulator, http: aiohttp.ClientSession) -> None:
    control = f"{simulator.http_url}/control/faults"
    async with http.post(control, json={"drop_every_s": 10, "reject_symbols": ["X:Y"]}) as r:
        assert r.status == 200
        assert (await r.json())["drop_every_s"] == 10
    assert simulator.world.faults.reject_symbols == ["X:Y"]
    async with http.post(control, json={"no_such_fault": 1}) as r:
        assert r.status == 400
    async with http.delete(control) as r:
        assert (await r.json())["drop_every_s"] == 0

    async def status() -> bool:
        async with http.get(f"{simulator.http_url}/control/status") as r:
            symbols: int = (await r.json())["symbols"]
            return symbols == 32

    await wait_for(status, what="control status")


async def test_429_on_upgrade(simulator: Simulator, http: aiohttp.ClientSession) -> None:
    simulator.world.faults.reject_connections = 1
    with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
        await http.ws_connect(simulator.url)
    assert refused.value.status == 429
    async with http.ws_connect(simulator.url) as ws:
        assert not ws.closed
