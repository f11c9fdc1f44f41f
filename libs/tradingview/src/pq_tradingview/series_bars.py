"""Bars out of `timescale_update` / `du` series payloads, validated into domain `Bar`s.

Real servers occasionally send a bar whose open or close lies outside [low, high] (rounding on
their side). We widen high/low to include open and close rather than drop the bar or fail the
whole request: open and close are traded prices, and a gap in history is worse than a bar whose
range is a tick wider. Bars with non-finite values or negative volume cannot be repaired and are
dropped. Both are counted so a caller can see them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from pq_domain import Bar

from .epoch import epoch_ms_of_seconds


@dataclass(slots=True)
class BarRepairs:
    widened: int = 0  # open/close outside [low, high]: high/low widened
    dropped: int = 0  # unusable: non-finite values, negative volume, malformed entries
    bad_close_times: int = 0  # `lbs.bar_close_time` no epoch time can be (ignored)


@dataclass(slots=True)
class SeriesChunk:
    bars: list[Bar] = field(default_factory=list)
    bar_close_time_ms: int | None = None  # `lbs.bar_close_time`: close of the newest bar


def bars_of_series(
    series_payload: dict[str, Any], series_id: str, repairs: BarRepairs
) -> SeriesChunk | None:
    """The bars for `series_id` in a `timescale_update`/`du` payload (p[1]); None if absent."""
    series = series_payload.get(series_id)
    if not isinstance(series, dict):
        return None
    chunk = SeriesChunk()
    entries = series.get("s")
    if isinstance(entries, list):
        for entry in entries:
            bar = _bar_of_entry(entry, repairs)
            if bar is not None:
                chunk.bars.append(bar)
    lbs = series.get("lbs")
    close_time = lbs.get("bar_close_time") if isinstance(lbs, dict) else None
    if isinstance(close_time, int | float) and not isinstance(close_time, bool):
        chunk.bar_close_time_ms = epoch_ms_of_seconds(close_time)
        if chunk.bar_close_time_ms is None:
            repairs.bad_close_times += 1
    return chunk


def _bar_of_entry(entry: object, repairs: BarRepairs) -> Bar | None:
    values = entry.get("v") if isinstance(entry, dict) else None
    if not isinstance(values, list) or len(values) < 5:
        repairs.dropped += 1
        return None
    try:
        t, o, h, l, c = (float(x) for x in values[:5])
        v = float(values[5]) if len(values) > 5 else 0.0  # indices send no volume
    except (TypeError, ValueError, OverflowError):  # OverflowError: an int beyond float range
        repairs.dropped += 1
        return None
    t_ms = epoch_ms_of_seconds(t)
    if t_ms is None or not all(math.isfinite(x) for x in (o, h, l, c, v)) or v < 0:
        repairs.dropped += 1
        return None
    if not (l <= o <= h and l <= c <= h):
        repairs.widened += 1
        h, l = max(h, o, c), min(l, o, c)
    return Bar(t_ms, o, h, l, c, v)
