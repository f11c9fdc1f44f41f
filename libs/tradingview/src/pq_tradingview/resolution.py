"""TradingView resolution strings for our intervals."""

from __future__ import annotations

from pq_domain import Interval

RESOLUTIONS: dict[Interval, str] = {
    Interval.M1: "1",
    Interval.M5: "5",
    Interval.M15: "15",
    Interval.H1: "60",
    Interval.H4: "240",
    Interval.D1: "1D",
    Interval.W1: "1W",
    Interval.MN1: "1M",
}


def resolution_of(interval: Interval) -> str:
    return RESOLUTIONS[interval]
