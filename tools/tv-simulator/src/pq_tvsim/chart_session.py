"""A chart session: resolved symbols, series, paging back, and `du` updates of the newest bars.

The bars of a history round and their frames are made on the history worker thread
(HistoryWorker): the session's own state (its series, what was sent) changes only here on
the event loop, after the round came back.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np

from .bar_arrays import BarArrays
from .link import ClientLink
from .market import SymbolMarket
from .resolution import Resolution, UnsupportedResolution
from .series_frames import series_payload
from .series_range import SeriesRange, is_resolution_syntax
from .world import World

NODE = "sim-charts-1"


@dataclass(slots=True)
class Series:
    series_id: str
    turnaround: str
    market: SymbolMarket
    resolution: Resolution
    oldest_sent: list[int] = field(default_factory=list)  # the oldest few bar times sent
    newest: dict[int, tuple[float, ...]] = field(default_factory=dict)  # for `du` diffs
    newest_index: int = -1
    live: bool = True  # False: a `bar_count` range ending in the past gets no `du` updates


class ChartSession:
    def __init__(self, session_id: str, world: World, link: ClientLink, *, delayed: bool) -> None:
        self.id = session_id
        self._world = world
        self._link = link
        self._delayed = delayed
        self._rng = random.Random(world.config.seed)
        self._symbols: dict[str, SymbolMarket | None] = {}  # symbol id -> market (None: error)
        self._series: dict[str, Series] = {}

    async def handle(self, method: str, params: list[Any]) -> list[str]:
        link = self._link
        if method == "switch_timezone":
            if not _valid_zone(params[1] if len(params) > 1 else None):
                return [self._critical("invalid timezone", method, params[1:])]
            return []
        if method == "resolve_symbol" and len(params) >= 3:
            symbol_id, market = str(params[1]), self._world.lookup(str(params[2]))
            self._symbols[symbol_id] = market
            if market is None:
                return [link.packet("symbol_error", [self.id, symbol_id, "invalid symbol"])]
            meta = self._world.resolved_meta(market, delayed=self._delayed)
            return [link.packet("symbol_resolved", [self.id, symbol_id, meta])]
        if method in ("create_series", "modify_series"):
            return await self._create_series(method, params)
        if method == "request_more_data" and len(params) >= 3 and isinstance(params[2], int):
            series = self._series.get(str(params[1]))
            return [] if series is None else await self._more_data(series, params[2])
        if method in ("remove_series", "chart_delete_session"):
            self._series.pop(str(params[1]) if len(params) > 1 else "", None)
            return []
        return [self._critical("invalid parameters", method, params[1:])]

    async def _create_series(self, method: str, params: list[Any]) -> list[str]:
        if len(params) < 6 or not all(isinstance(x, str) for x in params[1:5]):
            return [self._critical("invalid parameters", method, params[1:])]
        series_id, turnaround, symbol_id, resolution_text = params[1:5]
        if method == "create_series":
            wanted = SeriesRange.parse(params[5])
        else:
            wanted = SeriesRange(self._modified_count(params[1]))
        if wanted is None or not is_resolution_syntax(resolution_text):
            return [self._critical("invalid parameters", method, params[1:])]
        link = self._link
        market = self._symbols.get(symbol_id)
        if market is None:
            error = [self.id, series_id, turnaround, "resolve error", f"{NODE}@{NODE}"]
            return [link.packet("series_error", error)]
        try:
            resolution = Resolution.parse(resolution_text)
        except UnsupportedResolution:
            return [
                link.packet("series_error", [self.id, series_id, turnaround, "custom_resolution"])
            ]
        loading = link.packet("series_loading", [self.id, series_id, turnaround])
        count = min(wanted.count, self._world.config.max_bars_per_round)
        series, frames = await self._world.history.run(
            self._first_round,
            Series(series_id, turnaround, market, resolution),
            count,
            wanted.to_ms,
        )
        self._series[series_id] = series
        return [loading, *frames]

    def _first_round(
        self, series: Series, count: int, to_ms: int | None
    ) -> tuple[Series, list[str]]:
        """On the worker thread: `series` is not shared yet, so it is filled in here."""
        now = self._world.clock.now_ms()  # when the round runs, not when it was asked for
        before = None
        if to_ms is not None and to_ms < now:  # the n bars up to to_ms, that one included
            before, series.live = to_ms + 1, False
        bars = series.market.bars_before(series.resolution, now, count, before)
        series.newest_index = len(bars) - 1
        series.newest = {row[0]: row[1:] for row in bars.slice(len(bars) - 2, len(bars)).rows()}
        series.oldest_sent = _oldest(bars, series.oldest_sent)
        return series, self._batch(series, bars, now)

    def _modified_count(self, series_id: object) -> int:
        # modify_series keeps the series' bar count (as TradingView does), so switching a
        # 10-bar chart to 1D does not make the server generate a full 5,000-bar round.
        previous = self._series.get(str(series_id))
        if previous is None:
            return self._world.config.max_bars_per_round
        return previous.newest_index + 1

    async def _more_data(self, series: Series, count: int) -> list[str]:
        count = min(count, self._world.config.max_bars_per_round)
        repeat = 0
        if series.oldest_sent and self._rng.random() < self._world.config.repeat_bars_probability:
            repeat = self._rng.randint(1, len(series.oldest_sent))  # real servers resend some
        before = series.oldest_sent[repeat - 1] + 1 if repeat else None
        if before is None and series.oldest_sent:
            before = series.oldest_sent[0]
        bars, frames = await self._world.history.run(
            self._older_round, series, count + repeat, before
        )
        series.oldest_sent = _oldest(bars, series.oldest_sent)
        return frames

    def _older_round(
        self, series: Series, count: int, before: int | None
    ) -> tuple[BarArrays, list[str]]:
        """On the worker thread: reads `series` only (the loop may send `du` meanwhile)."""
        now = self._world.clock.now_ms()
        bars = series.market.bars_before(series.resolution, now, count, before)
        return bars, self._batch(series, bars, now)

    def _batch(self, series: Series, bars: BarArrays, now_ms: int) -> list[str]:
        """The round's frames, stamped with the event time its bars are as of."""
        payload = series_payload(self._world, series, bars, first_index=0)
        completed: dict[str, object] = {"rt_update_period": 0}
        if not len(bars):
            completed["data_completed"] = "limit"
        link = self._link
        return [
            link.packet(
                "timescale_update", [self.id, payload, {"index": 0, "zoffset": 0}], at_ms=now_ms
            ),
            link.packet(
                "series_completed",
                [self.id, series.series_id, "streaming", series.turnaround, completed],
                at_ms=now_ms,
            ),
        ]

    def updates(self, now_ms: int) -> list[str]:
        """`du` packets for series whose newest bars changed since the last call."""
        frames = []
        for series in self._series.values():
            if not series.live:
                continue
            bars = series.market.bars_before(series.resolution, now_ms, 2)
            changed = []
            for row in bars.rows():
                if series.newest.get(row[0]) != row[1:]:
                    if row[0] > max(series.newest, default=row[0] - 1):
                        series.newest_index += 1
                    changed.append(row)
            if not changed:
                continue
            series.newest = {row[0]: row[1:] for row in bars.rows()}
            first_index = series.newest_index - len(changed) + 1
            payload = series_payload(self._world, series, _arrays(changed), first_index=first_index)
            frames.append(self._link.packet("du", [self.id, payload]))
        return frames

    def _critical(self, reason: str, method: str, args: list[Any]) -> str:
        text = ", ".join(str(a) for a in args)
        # [session_id, name, description], as the real server sends it (protocol notes §4)
        description = f'method: {method}. args: "[{text}]"'
        return self._link.packet("critical_error", [self.id, reason, description])


def _oldest(bars: BarArrays, sent: list[int]) -> list[int]:
    """The oldest few bar times sent so far: a more-data round may repeat some of them."""
    return [int(t) for t in bars.t[:3]] if len(bars) else sent


def _valid_zone(name: object) -> bool:
    if name in ("exchange", "Etc/UTC"):
        return True
    try:
        ZoneInfo(str(name))
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def _arrays(rows: list[tuple[int, float, float, float, float, float]]) -> BarArrays:
    columns = list(zip(*rows, strict=True))
    return BarArrays(np.array(columns[0], dtype=np.int64), *(np.array(c) for c in columns[1:]))
