"""What the stack's simulator serves as history, computed in-process from the same seed.

The e2e stack's simulator runs from a closed-market Saturday (stack_runner.SIM_START), so
the newest `count` bars are complete and do not change while the tests run.
"""

from __future__ import annotations

from pathlib import Path

from pq_tvsim import SimulatorConfig
from pq_tvsim.resolution import Resolution
from pq_tvsim.universe import load_universe
from pq_tvsim.world import World
from tests.support.stack_runner import SIM_SEED, sim_start_ms

BarRow = tuple[int, float, float, float, float, float]  # t (epoch ms), o, h, l, c, v

RESOLUTIONS = {"1m": "1", "5m": "5", "15m": "15", "1h": "60", "4h": "240", "1d": "1D"}


def simulator_bars(symbol: str, interval: str, count: int) -> list[BarRow]:
    """The newest `count` completed bars of `symbol` the stack's simulator holds."""
    start = sim_start_ms()
    return simulator_rows(
        symbol, interval, seed=SIM_SEED, start_ms=start, now_ms=start, count=count
    )


def simulator_rows(
    symbol: str,
    interval: str,
    *,
    seed: int,
    start_ms: int,
    now_ms: int,
    count: int,
    universe: Path | None = None,
) -> list[BarRow]:
    """The newest `count` bars of a simulator started at `start_ms` with `seed` (and the
    universe file `universe`, else the shipped one), as its history answers at event time
    `now_ms` (the newest one may still be forming)."""
    world = World(SimulatorConfig(seed=seed, start_ms=start_ms, universe=load_universe(universe)))
    resolution = Resolution.parse(RESOLUTIONS[interval])
    rows: list[BarRow] = world.market(symbol).bars_before(resolution, now_ms, count).rows()
    return rows
