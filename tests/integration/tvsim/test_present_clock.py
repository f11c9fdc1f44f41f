"""By default the simulator's time is the present: quotes' `lp_time` and the forming bar's
stamps are the wall clock when they are sent (they lagged it by up to a minute before)."""

from __future__ import annotations

import time

import aiohttp

from pq_tvsim import Simulator, SimulatorConfig

from .wire import Wire

SYMBOLS = ("BINANCE:BTCUSDT", "BINANCE:ETHUSDT", "BINANCE:SOLUSDT")  # 24x7: always trading
LAG_LIMIT_S = 0.1
QS, CS = "qs_clocktest0001", "cs_clocktest0001"


async def test_quotes_and_forming_bars_are_stamped_with_the_wall_clock() -> None:
    async with (
        Simulator(SimulatorConfig(port=0)) as sim,
        aiohttp.ClientSession() as http,
        http.ws_connect(sim.url) as ws,
    ):
        wire = Wire(ws)
        await wire.next()  # hello
        await wire.send("set_auth_token", "unauthorized_user_token")
        await wire.send("quote_create_session", QS)
        await wire.send("quote_set_fields", QS, "lp", "lp_time")
        await wire.send("quote_add_symbols", QS, *SYMBOLS)
        await wire.send("chart_create_session", CS, "")
        await wire.send("resolve_symbol", CS, "sym", '={"symbol":"BINANCE:BTCUSDT"}')
        await wire.send("create_series", CS, "s1", "s1", "sym", "1", 2, "")
        lags: list[float] = []
        forming_checked = 0
        snapshots = set()
        deadline = time.monotonic() + 60
        while (len(lags) < 20 or forming_checked < 3) and time.monotonic() < deadline:
            packet = await wire.until("qsd", "du")
            received = time.time()
            if packet["m"] == "du":
                bar_open = packet["p"][1]["s1"]["s"][-1]["v"][0]
                assert abs(packet["t_ms"] / 1000 - received) < LAG_LIMIT_S
                assert 0 <= received - bar_open < 60.5  # the minute that is forming now
                forming_checked += 1
                continue
            name, values = packet["p"][1]["n"], packet["p"][1]["v"]
            if name not in snapshots:  # the snapshot carries the last trade, however old
                snapshots.add(name)
                continue
            if "lp_time" in values:
                lags.append(received - values["lp_time"])
    assert len(lags) >= 20, f"only {len(lags)} quotes in 60 s"
    assert forming_checked >= 3
    assert max(lags) < LAG_LIMIT_S, f"lp_time lags the wall clock by up to {max(lags):.3f}s"
    assert min(lags) > -0.01, "a quote from the future"
