"""The ticks inside one minute: first = open, the path touches high and low, last = close.

Tick volumes split the minute's volume, so the day's cumulative volume rises by exactly the
minute's volume across its ticks. Pure Python with an RNG keyed by (seed, symbol, minute), so
the ticks of a minute are the same however and whenever they are asked for.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from .calendar import MINUTE_MS


@dataclass(frozen=True, slots=True)
class Tick:
    t: int  # epoch ms
    price: float
    minute_volume: float  # cumulative volume of the minute up to and including this tick


def minute_ticks(
    *,
    seed: int,
    symbol_key: int,
    t: int,
    o: float,
    h: float,
    l: float,
    c: float,
    v: float,
    tick_rate: int,
    tick_size: float,
    price_decimals: int,
    volume_decimals: int,
) -> list[Tick]:
    rng = random.Random((seed << 96) | (symbol_key << 48) | (t // MINUTE_MS))
    n = tick_rate
    # clamped: Python's and numpy's rounding may differ in the last bit at the extremes
    prices = [
        min(h, max(l, round(round(rng.uniform(l, h) / tick_size) * tick_size, price_decimals)))
        for _ in range(n)
    ]
    prices[0], prices[-1] = o, c
    high_at, low_at = rng.sample(range(1, n - 1), 2)
    prices[high_at], prices[low_at] = h, l
    weights = [rng.random() + 0.05 for _ in range(n)]
    total = sum(weights)
    ticks = []
    running = 0.0
    for k in range(n):
        running += weights[k]
        cumulative = v if k == n - 1 else round(v * running / total, volume_decimals)
        ticks.append(Tick(t + k * MINUTE_MS // n, prices[k], cumulative))
    return ticks


def ticks_until(ticks: list[Tick], now_ms: int) -> list[Tick]:
    return [tick for tick in ticks if tick.t <= now_ms]
