"""Columns of bars and the two operations history needs: bucket a day, merge buckets."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from pq_domain.bucketing import bucket_start, grid_starts

from .calendar import MINUTE_MS, TradingDay
from .resolution import Resolution
from .universe import SymbolSpec

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True, slots=True)
class BarArrays:
    """Bars column by column, `t` each bar's open in epoch ms: a day's 1m bars
    (PricePath.day_minutes) or the buckets made of them."""

    t: IntArray
    o: FloatArray
    h: FloatArray
    l: FloatArray
    c: FloatArray
    v: FloatArray

    def __len__(self) -> int:
        return len(self.t)

    def rows(self) -> list[tuple[int, float, float, float, float, float]]:
        return list(
            zip(
                self.t.tolist(),
                self.o.tolist(),
                self.h.tolist(),
                self.l.tolist(),
                self.c.tolist(),
                self.v.tolist(),
                strict=True,
            )
        )

    def slice(self, start: int, stop: int) -> BarArrays:
        s = slice(start, stop)
        return BarArrays(self.t[s], self.o[s], self.h[s], self.l[s], self.c[s], self.v[s])


EMPTY = BarArrays(
    np.zeros(0, dtype=np.int64), np.zeros(0), np.zeros(0), np.zeros(0), np.zeros(0), np.zeros(0)
)


def bucket_day(
    spec: SymbolSpec, day: TradingDay, minutes: BarArrays, resolution: Resolution
) -> BarArrays:
    """The day's 1m bars grouped into `resolution` buckets: intraday ones on the domain's
    grid of the day (open + k * step, the last one cut at the close)."""
    if resolution.calendar is None:
        step = (resolution.minutes or 1) * MINUTE_MS
        starts = np.array(grid_starts(step, day.session_day), dtype=np.int64)
        keys = starts[np.searchsorted(starts, minutes.t, side="right") - 1]
    else:
        key = bucket_start(resolution.calendar, day.open_ms, spec.trading_session)
        keys = np.full(len(minutes.t), key, dtype=np.int64)
    return merge_equal_keys(
        spec, BarArrays(keys, minutes.o, minutes.h, minutes.l, minutes.c, minutes.v)
    )


def concatenate(parts: list[BarArrays]) -> BarArrays:
    if not parts:
        return EMPTY
    return BarArrays(
        np.concatenate([p.t for p in parts]),
        *(np.concatenate([getattr(p, f) for p in parts]) for f in ("o", "h", "l", "c", "v")),
    )


def merge_equal_keys(spec: SymbolSpec, bars: BarArrays) -> BarArrays:
    """Merge neighbours with the same `t` (sorted input): first open, last close, extremes, sum."""
    n = len(bars)
    if n == 0:
        return bars
    starts = np.flatnonzero(np.concatenate(([True], bars.t[1:] != bars.t[:-1])))
    if len(starts) == n:
        return bars
    ends = np.concatenate((starts[1:] - 1, [n - 1]))
    return BarArrays(
        bars.t[starts],
        bars.o[starts],
        np.maximum.reduceat(bars.h, starts),
        np.minimum.reduceat(bars.l, starts),
        bars.c[ends],
        np.round(np.add.reduceat(bars.v, starts), spec.volume_decimals).astype(np.float64),
    )
