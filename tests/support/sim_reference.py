"""What the stack's simulator serves as history, computed in-process from the same seed.

The e2e stack's simulator runs from a closed-market Saturday (stack_runner.SIM_START), so
the newest `count` bars are complete and do not change while the tests run.
"""

from __future__ import annotations

from pq_tvsim import SimulatorConfig
from pq_tvsim.resolution import Resolution
from pq_tvsim.world import World
from tests.support.stack_runner import SIM_SEED, sim_start_ms

BarRow = tuple[int, float, float, float, float, float]  # t (epoch ms), o, h, l, c, v

RESOLUTIONS = {"1m": "1", "5m": "5", "15m": "15", "1h": "60", "4h": "240", "1d": "1D"}


def simulator_bars(symbol: str, interval: str, count: int) -> list[BarRow]:
    """The newest `count` completed bars of `symbol` the stack's simulator holds."""
    start = sim_start_ms()
    world = World(SimulatorConfig(seed=SIM_SEED, start_ms=start))
    bars = world.market(symbol).bars_before(Resolution.parse(RESOLUTIONS[interval]), start, count)
    return bars.rows()
