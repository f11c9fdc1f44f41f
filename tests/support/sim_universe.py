"""A simulator universe for load tests: chosen shipped symbols plus synthetic 24x7 coins.

Written to a file for the stack (`PQ_TVSIM_UNIVERSE`); `load_universe(path)` gives the
in-process reference simulator the same symbols.
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any


def write_universe(
    path: Path, shipped: tuple[str, ...], synthetic: int, tick_rate: int
) -> tuple[str, ...]:
    """Write the universe file; returns every symbol in it (shipped first)."""
    text = resources.files("pq_tvsim").joinpath("universe.json").read_text("utf-8")
    specs: list[dict[str, Any]] = json.loads(text)["symbols"]
    chosen = [s for s in specs if s["symbol"] in shipped]
    assert len(chosen) == len(shipped), f"not in the shipped universe: {shipped}"
    template = next(s for s in specs if s["symbol"] == "BINANCE:ETHUSDT")
    coins = [
        template
        | {
            "symbol": f"BINANCE:T{n:02d}USDT",
            "description": f"Test coin {n} / TetherUS",
            "start_price": 10.0 + n,
            "tick_rate": tick_rate,
        }
        for n in range(1, synthetic + 1)
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"symbols": chosen + coins}))
    return tuple(s["symbol"] for s in chosen + coins)
