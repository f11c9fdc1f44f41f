"""One realistic example of each event, for the AsyncAPI document's messages."""

from __future__ import annotations

from typing import Any

from pq_domain import Bar, Interval, Symbol
from pq_domain.events import (
    BarCompleted,
    BarSynced,
    BarUpdated,
    QuoteReceived,
    SymbolResolved,
    SyncJobAccepted,
    SyncJobCompleted,
    SyncJobFailed,
    SyncJobProgressed,
    SyncJobStarted,
    SyncRequested,
)

AAPL = Symbol.parse("NASDAQ:AAPL")
JOB = "3f9c2b7e0d4a4c1b9e8f7a6b5c4d3e2f"
T = 1_741_613_400_000  # 2025-03-10T13:30:00Z, a US session open
BAR = Bar(T, 236.95, 237.48, 235.12, 236.2, 8_412_339.0)

EXAMPLES: dict[type, Any] = {  # events share to_payload(); BarUpdated has no event_id
    QuoteReceived: QuoteReceived(AAPL, 236.21, 41_207_114.0, T + 61_250, 236.2, 236.22),
    BarSynced: BarSynced(JOB, AAPL, Interval.H1, (BAR,), chunk=0, chunks=5),
    BarCompleted: BarCompleted(AAPL, Interval.H1, BAR, ticks=5312, revision=0),
    BarUpdated: BarUpdated(AAPL, Interval.H1, BAR, ticks=2711),
    SymbolResolved: SymbolResolved(
        AAPL,
        "Apple Inc.",
        "stock",
        "USD",
        "NASDAQ",
        "America/New_York",
        "0930-1600",
        100,
        False,
        T,
    ),
    SyncRequested: SyncRequested(JOB, AAPL, Interval.H1, bars=5000),
    SyncJobAccepted: SyncJobAccepted(JOB, AAPL, Interval.H1, at=T),
    SyncJobStarted: SyncJobStarted(JOB, at=T + 120, attempt=1),
    SyncJobProgressed: SyncJobProgressed(JOB, 5000, 20000, at=T + 900, attempt=1, round=1),
    SyncJobCompleted: SyncJobCompleted(JOB, bars=20000, at=T + 3400),
    SyncJobFailed: SyncJobFailed(
        JOB, error="NASDAQ:NOPE: symbol_error: invalid symbol", at=T + 400
    ),
}
