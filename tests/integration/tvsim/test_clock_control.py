"""`POST /control/clock`: a test holds the market still, lets it run, hurries it; event time
goes on from where it is and never runs back, and quotes follow it."""

from __future__ import annotations

import asyncio

import aiohttp
import pytest

from pq_tvsim import Simulator, SimulatorConfig

from .wire import Wire

START_MS = 1_733_130_000_000  # 2024-12-02 09:00 UTC, a Monday: crypto trades around the clock
QS = "qs_clockcontrol01"


async def status(http: aiohttp.ClientSession, sim: Simulator) -> dict[str, float]:
    async with http.get(f"{sim.http_url}/control/status") as answer:
        found: dict[str, float] = await answer.json()
        return found


async def set_speed(
    http: aiohttp.ClientSession, sim: Simulator, body: object
) -> aiohttp.ClientResponse:
    async with http.post(f"{sim.http_url}/control/clock", json=body) as answer:
        await answer.read()
        return answer


async def test_a_held_clock_sends_no_ticks_until_it_runs_and_never_runs_back() -> None:
    config = SimulatorConfig(port=0, start_ms=START_MS, speed=0)
    async with (
        Simulator(config) as sim,
        aiohttp.ClientSession() as http,
        http.ws_connect(sim.url) as ws,
    ):
        wire = Wire(ws)
        await wire.next()  # hello
        await wire.send("set_auth_token", "unauthorized_user_token")
        await wire.send("quote_create_session", QS)
        await wire.send("quote_set_fields", QS, "lp", "lp_time")
        await wire.send("quote_add_symbols", QS, "BINANCE:BTCUSDT")
        assert (await wire.until("qsd"))["p"][1]["s"] == "ok"  # the snapshot, held still
        await asyncio.sleep(1.0)
        held = await status(http, sim)
        assert held["event_time_ms"] == START_MS
        assert held["speed"] == 0
        while wire.pending:  # nothing but the snapshot's completion may have come
            assert wire.pending.pop(0).get("m") != "qsd", "a tick while the clock was held"

        answer = await set_speed(http, sim, {"speed": 600})
        assert answer.status == 200
        tick = await wire.until("qsd")  # ticks flow once it runs: a minute every 0.1 s
        assert tick["p"][1]["v"]["lp_time"] * 1000 >= START_MS
        await asyncio.sleep(0.5)
        running = await status(http, sim)
        assert START_MS + 200_000 <= running["event_time_ms"] <= START_MS + 900_000

        assert (await set_speed(http, sim, {"speed": 0})).status == 200
        stopped = (await status(http, sim))["event_time_ms"]
        assert stopped >= running["event_time_ms"]  # slowing down never runs it back
        await asyncio.sleep(0.3)
        assert (await status(http, sim))["event_time_ms"] == stopped


async def test_a_sprint_ends_exactly_at_its_event_time_whenever_the_clock_is_read() -> None:
    config = SimulatorConfig(port=0, start_ms=START_MS, speed=0)
    async with Simulator(config) as sim, aiohttp.ClientSession() as http:
        hour_later = START_MS + 3_600_000
        sprint = {"speed": 36_000, "until_ms": hour_later, "then": 0}  # an hour in 0.1 s
        assert (await set_speed(http, sim, sprint)).status == 200
        await asyncio.sleep(0.5)
        after = await status(http, sim)
        assert after["event_time_ms"] == hour_later  # not a moment past: it stood still there
        assert after["speed"] == 0


BAD_BODIES = [
    {"speed": -1},
    {"speed": "fast"},
    {"speed": True},
    [1],
    {},
    {"speed": 600, "until_ms": START_MS - 1, "then": 60},  # a sprint into the past
    {"speed": 600, "until_ms": START_MS + 60_000},  # no speed after it
    {"speed": 0, "until_ms": START_MS + 60_000, "then": 60},  # held still: never gets there
]


@pytest.mark.parametrize("body", BAD_BODIES)
async def test_a_bad_speed_is_refused_and_the_clock_runs_on(body: object) -> None:
    config = SimulatorConfig(port=0, start_ms=START_MS, speed=60)
    async with Simulator(config) as sim, aiohttp.ClientSession() as http:
        answer = await set_speed(http, sim, body)
        assert answer.status == 400
        after = await status(http, sim)
        assert after["speed"] == 60
        assert after["event_time_ms"] >= START_MS
