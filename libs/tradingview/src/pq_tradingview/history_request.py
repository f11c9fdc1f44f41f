"""What a history request asks for, and what it returns."""

from __future__ import annotations

from dataclasses import dataclass

from pq_domain import Bar, Interval, Symbol

from .symbol_meta import SymbolMeta

MAX_BARS_PER_ROUND = 5000  # the server's cap for create_series and each request_more_data


@dataclass(frozen=True, slots=True)
class HistoryRequest:
    """The newest `bars` completed bars, and/or every completed bar in [start_ms, end_ms)."""

    symbol: Symbol
    interval: Interval
    bars: int | None = None
    start_ms: int | None = None
    end_ms: int | None = None

    def __post_init__(self) -> None:
        if self.bars is None and self.start_ms is None:
            raise ValueError("a history request needs `bars` or `start_ms`")
        if self.bars is not None and self.bars <= 0:
            raise ValueError(f"bars must be positive, got {self.bars}")
        if self.start_ms is not None and self.end_ms is not None and self.end_ms <= self.start_ms:
            raise ValueError("end_ms must be after start_ms")

    def wants(self, t: int) -> bool:
        return (self.start_ms is None or t >= self.start_ms) and (
            self.end_ms is None or t < self.end_ms
        )


@dataclass(frozen=True, slots=True)
class HistoryResult:
    symbol: Symbol
    interval: Interval
    bars: list[Bar]  # completed bars only: ascending, unique t, validated
    meta: SymbolMeta
    forming: Bar | None  # the newest bar if it was still forming at the server's time
    rounds: int  # create_series plus request_more_data rounds it took
    widened_bars: int  # bars whose high/low were widened to include open/close
    dropped_bars: int  # unusable bars the server sent (non-finite, negative volume)
