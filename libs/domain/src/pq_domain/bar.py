"""OHLCV bars. Times are epoch milliseconds UTC of the bar's open."""

from __future__ import annotations

import math
from dataclasses import dataclass


class InvalidBar(ValueError):
    """OHLCV values that cannot describe a bar."""


@dataclass(frozen=True, slots=True)
class Bar:
    t: int
    o: float
    h: float
    l: float  # the contract field name
    c: float
    v: float

    def __post_init__(self) -> None:
        o, h, l, c, v = self.o, self.h, self.l, self.c, self.v
        if not (
            math.isfinite(o)
            and math.isfinite(h)
            and math.isfinite(l)
            and math.isfinite(c)
            and math.isfinite(v)
        ):
            raise InvalidBar(f"bar at t={self.t} has a non-finite value")
        if not (l <= o <= h and l <= c <= h):
            raise InvalidBar(f"bar at t={self.t} violates low <= open, close <= high")
        if v < 0:
            raise InvalidBar(f"bar at t={self.t} has negative volume {v}")
