"""Bars out of series payloads: volume-less bars, repairs, garbage entries."""

from __future__ import annotations

from pq_domain import Bar
from pq_tradingview.series_bars import BarRepairs, bars_of_series


def _payload(*values: list[object]) -> dict[str, object]:
    entries = [{"i": i, "v": v} for i, v in enumerate(values)]
    return {"sds_1": {"s": entries, "lbs": {"bar_close_time": 1663050600}}}


def test_bars_are_read_with_millisecond_times() -> None:
    repairs = BarRepairs()
    chunk = bars_of_series(_payload([1663050540.0, 1.0, 2.0, 0.5, 1.5, 10.0]), "sds_1", repairs)
    assert chunk is not None
    assert chunk.bars == [Bar(1663050540000, 1.0, 2.0, 0.5, 1.5, 10.0)]
    assert chunk.bar_close_time_ms == 1663050600000


def test_bars_without_volume_get_zero() -> None:
    chunk = bars_of_series(_payload([60.0, 1.0, 2.0, 0.5, 1.5]), "sds_1", BarRepairs())
    assert chunk is not None
    assert chunk.bars[0].v == 0.0


def test_open_or_close_outside_the_range_widens_high_and_low() -> None:
    repairs = BarRepairs()
    chunk = bars_of_series(_payload([60.0, 2.5, 2.0, 1.0, 0.8, 1.0]), "sds_1", repairs)
    assert chunk is not None
    assert chunk.bars == [Bar(60_000, 2.5, 2.5, 0.8, 0.8, 1.0)]
    assert repairs.widened == 1


def test_unusable_entries_are_dropped_and_counted() -> None:
    repairs = BarRepairs()
    payload = _payload(
        [60.0, float("nan"), 2.0, 1.0, 1.5, 1.0],
        [120.0, 1.0, 2.0, 1.0, 1.5, -3.0],
        [180.0, "x", 2.0, 1.0, 1.5],
        [240.0, 1.0],
        [300.0, 1.0, 2.0, 1.0, 1.5, 1.0],
    )
    chunk = bars_of_series(payload, "sds_1", repairs)
    assert chunk is not None
    assert [b.t for b in chunk.bars] == [300_000]
    assert repairs.dropped == 4


def test_another_series_id_is_not_ours() -> None:
    assert bars_of_series(_payload([60.0, 1.0, 1.0, 1.0, 1.0]), "sds_2", BarRepairs()) is None
