"""`python -m pq_tvsim`: run the simulator until interrupted (settings from `PQ_TVSIM_*`)."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from .config import SimulatorConfig
from .server import Simulator


async def serve(config: SimulatorConfig) -> None:
    async with Simulator(config) as simulator:
        print(f"TradingView simulator on {simulator.url} (control: {simulator.http_url}/control)")
        await asyncio.Event().wait()


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve(SimulatorConfig.from_env()))


if __name__ == "__main__":
    main()
