"""The series payload shared by `timescale_update` and `du`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pq_domain.bucketing import bucket_end, intraday_bounds

from .bar_arrays import BarArrays

if TYPE_CHECKING:
    from .chart_session import Series
    from .world import World


def series_payload(
    world: World, series: Series, bars: BarArrays, *, first_index: int
) -> dict[str, Any]:
    with_volume = series.market.spec.has_volume
    entries = []
    for i, (t, o, h, l, c, v) in enumerate(bars.rows(), start=first_index):
        values = [t / 1000, o, h, l, c, v] if with_volume else [t / 1000, o, h, l, c]
        entries.append({"i": i, "v": values})
    body: dict[str, Any] = {
        "node": "sim-charts-1",
        "s": entries,
        "ns": {"d": "", "indexes": []},
        "t": series.turnaround,
    }
    if series.newest:
        body["lbs"] = {"bar_close_time": close_time_ms(series, max(series.newest)) // 1000}
    return {series.series_id: body}


def close_time_ms(series: Series, t: int) -> int:
    """The end of the bar keyed `t`: intraday bars end at the session close at the latest."""
    resolution, session = series.resolution, series.market.spec.trading_session
    if resolution.calendar is None:
        return intraday_bounds((resolution.minutes or 1) * 60_000, t, session)[1]
    return bucket_end(resolution.calendar, t, session)
