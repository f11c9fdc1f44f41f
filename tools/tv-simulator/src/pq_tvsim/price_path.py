"""One deterministic price path per symbol: day anchors, then 1m bars inside each day.

The path is defined top-down so any day can be produced in O(day) without generating the
days before it: a mean-reverting walk of day-open prices (cheap: one number per calendar
day), then inside each trading day a Brownian bridge of 1m closes from that day's open to the
next day's open. Highs, lows and volumes come from the same per-day random stream. All of it
is keyed by (seed, symbol, date), so history and live ticks read the same numbers.

History is generated on a worker thread (HistoryWorker) while live ticks read the same path
on the event loop: the caches and the anchor walk are guarded by a lock, and a day is
generated outside it (two threads generating the same day get identical arrays).
"""

from __future__ import annotations

import math
import threading
from collections import OrderedDict

import numpy as np

from .bar_arrays import BarArrays, FloatArray
from .calendar import MINUTE_MS, TradingDay
from .universe import SymbolSpec

_ANCHOR_BLOCK = 4096  # day shocks are drawn in fixed blocks so access order never matters
_MEAN_REVERSION = 0.002  # per day: prices wander but stay in the start price's region
_CACHED_DAYS = 256


class PricePath:
    def __init__(self, spec: SymbolSpec, seed: int) -> None:
        self.spec = spec
        self.seed = seed
        self._anchors: list[float] = [math.log(spec.start_price)]  # log price per calendar day
        self._shock_blocks: dict[int, FloatArray] = {}
        self._days: OrderedDict[int, BarArrays] = OrderedDict()
        self._lock = threading.Lock()

    def day_minutes(self, day: TradingDay) -> BarArrays:
        index = (day.open_date - self.spec.history_start).days
        with self._lock:
            cached = self._days.get(day.open_ms)
            if cached is not None:
                self._days.move_to_end(day.open_ms)
                return cached
            start, end = self._anchor(index), self._anchor(index + 1)
        bars = self._generate(day, start, end)  # the slow part, outside the lock
        with self._lock:
            self._days[day.open_ms] = bars
            if len(self._days) > _CACHED_DAYS:
                self._days.popitem(last=False)
        return bars

    def _anchor(self, day_index: int) -> float:
        """Log price at the open of calendar day `day_index` (days since history_start).

        Called under the lock: the walk is extended in place.
        """
        anchors, spec = self._anchors, self.spec
        sigma, target = spec.daily_volatility, anchors[0]
        while len(anchors) <= day_index:
            i = len(anchors) - 1
            previous = anchors[-1]
            step = -_MEAN_REVERSION * (previous - target) + sigma * self._shock(i)
            anchors.append(previous + step)
        return anchors[day_index]

    def _shock(self, day_index: int) -> float:
        block, offset = divmod(day_index, _ANCHOR_BLOCK)
        shocks = self._shock_blocks.get(block)
        if shocks is None:
            rng = np.random.default_rng([self.seed, self.spec.key, 1, block])
            shocks = self._shock_blocks[block] = rng.standard_normal(_ANCHOR_BLOCK)
        return float(shocks[offset])

    def _generate(self, day: TradingDay, start: float, end: float) -> BarArrays:
        """The day's 1m bars from its open's log price `start` to the next open's `end`."""
        spec = self.spec
        n = day.minutes
        rng = np.random.default_rng([self.seed, spec.key, 2, day.open_date.toordinal()])
        sigma = spec.daily_volatility / math.sqrt(n)
        walk = np.cumsum(rng.standard_normal(n) * sigma)
        ramp = np.arange(1, n + 1, dtype=np.float64) / n
        log_close = start + walk - ramp * (walk[-1] - (end - start))
        log_close[-1] = end  # exactly the next day's open, whatever the rounding above
        close = np.exp(log_close)
        open_ = np.empty(n)
        open_[0] = math.exp(start)
        open_[1:] = close[:-1]
        wick = sigma * 0.6
        high = np.maximum(open_, close) * np.exp(wick * rng.standard_exponential(n))
        low = np.minimum(open_, close) * np.exp(-wick * rng.standard_exponential(n))
        tick = spec.tick_size
        # round each price to the tick; rounding is monotone, so low <= open, close <= high holds
        digits = spec.price_decimals
        o, h, l, c = (
            np.round(np.maximum(np.round(x / tick), 1.0) * tick, digits)
            for x in (open_, high, low, close)
        )
        t = day.open_ms + np.arange(n, dtype=np.int64) * MINUTE_MS
        return BarArrays(t, o, h, l, c, self._volumes(rng, n))

    def _volumes(self, rng: np.random.Generator, n: int) -> FloatArray:
        spec = self.spec
        if not spec.has_volume:
            return np.zeros(n)
        position = np.arange(n, dtype=np.float64) / max(n - 1, 1)
        u_shape = 1.0 + 1.5 * (2 * position - 1) ** 2  # busier at the open and the close
        raw = u_shape * rng.lognormal(0.0, 0.5, n)
        volumes: FloatArray = np.round(raw * (spec.day_volume / raw.sum()), spec.volume_decimals)
        return volumes
