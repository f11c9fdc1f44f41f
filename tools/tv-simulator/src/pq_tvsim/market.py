"""One symbol's simulated market at any event time: 1m bars, ticks, and bars of any resolution.

The bar that contains `now` is built from the ticks up to `now`, so history ends exactly where
the live quotes are, and a later request sees that bar grown, never rewritten.

`bars_before` runs on the history worker thread and on the event loop (`du` updates) at
once: the bucketed-day cache is guarded by a lock, the bucketing itself runs outside it.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

import numpy as np

from .bar_arrays import BarArrays, bucket_day, concatenate, merge_equal_keys
from .calendar import MINUTE_MS, TradingDay, latest_trading_day, previous_trading_day
from .price_path import PricePath
from .resolution import Resolution
from .ticks import Tick, minute_ticks, ticks_until
from .universe import SymbolSpec

_CACHED_BUCKETED_DAYS = 20_000


class SymbolMarket:
    def __init__(self, spec: SymbolSpec, seed: int) -> None:
        self.spec = spec
        self.seed = seed
        self.path = PricePath(spec, seed)
        self._bucketed: OrderedDict[tuple[str, int], BarArrays] = OrderedDict()
        self._lock = threading.Lock()

    def minute_ticks(self, day: TradingDay, index: int) -> list[Tick]:
        m, spec = self.path.day_minutes(day), self.spec
        return minute_ticks(
            seed=self.seed,
            symbol_key=spec.key,
            t=int(m.t[index]),
            o=float(m.o[index]),
            h=float(m.h[index]),
            l=float(m.l[index]),
            c=float(m.c[index]),
            v=float(m.v[index]),
            tick_rate=spec.tick_rate,
            tick_size=spec.tick_size,
            price_decimals=spec.price_decimals,
            volume_decimals=spec.volume_decimals,
        )

    def minutes_until(self, day: TradingDay, now_ms: int) -> BarArrays:
        """The day's 1m bars as known at `now_ms`: the current minute from its ticks so far."""
        full = self.path.day_minutes(day)
        if now_ms >= day.close_ms:
            return full
        current = (now_ms - day.open_ms) // MINUTE_MS
        ticks = ticks_until(self.minute_ticks(day, current), now_ms)
        prices = [tick.price for tick in ticks]
        n = current + 1
        o, h, l, c, v = (np.array(x[:n]) for x in (full.o, full.h, full.l, full.c, full.v))
        h[-1], l[-1], c[-1], v[-1] = max(prices), min(prices), prices[-1], ticks[-1].minute_volume
        return BarArrays(full.t[:n], o, h, l, c, v)

    def bars_before(
        self, resolution: Resolution, now_ms: int, count: int, before_t: int | None = None
    ) -> BarArrays:
        """The newest `count` bars that open before `before_t` (or all up to `now_ms`)."""
        # a bucket older than before_t (itself a bucket key) lies wholly before it
        newest = now_ms if before_t is None else min(now_ms, before_t - 1)
        day = latest_trading_day(self.spec, newest)
        newest_first: list[BarArrays] = []
        keys = 0
        oldest_key: int | None = None
        while day is not None and keys <= count:  # one extra key: the oldest may be partial
            part = self._bucketed_day(day, resolution, now_ms)
            if before_t is not None:
                part = part.slice(0, int(np.searchsorted(part.t, before_t)))
            if len(part):
                keys += len(part) - (1 if int(part.t[-1]) == oldest_key else 0)
                oldest_key = int(part.t[0])
                newest_first.append(part)
            day = previous_trading_day(self.spec, day)
        bars = merge_equal_keys(self.spec, concatenate(newest_first[::-1]))
        if day is not None and len(bars) > count:
            bars = bars.slice(len(bars) - count, len(bars))  # drop the partial oldest bucket
        return bars.slice(max(0, len(bars) - count), len(bars))

    def _bucketed_day(self, day: TradingDay, resolution: Resolution, now_ms: int) -> BarArrays:
        if now_ms < day.close_ms:  # the current day changes with every tick: never cached
            return bucket_day(self.spec, day, self.minutes_until(day, now_ms), resolution)
        cache_key = (resolution.key, day.open_ms)
        with self._lock:
            cached = self._bucketed.get(cache_key)
        if cached is not None:
            return cached
        cached = bucket_day(self.spec, day, self.path.day_minutes(day), resolution)
        with self._lock:
            self._bucketed[cache_key] = cached
            if len(self._bucketed) > _CACHED_BUCKETED_DAYS:
                self._bucketed.popitem(last=False)
        return cached

    def day_volume_before(self, day: TradingDay, index: int) -> float:
        """The day's cumulative volume before minute `index` opens."""
        volumes = self.path.day_minutes(day).v[:index]
        return round(float(volumes.sum()), self.spec.volume_decimals)

    def previous_close(self, day: TradingDay) -> float:
        before = previous_trading_day(self.spec, day)
        if before is None:
            return float(self.path.day_minutes(day).o[0])
        return float(self.path.day_minutes(before).c[-1])
