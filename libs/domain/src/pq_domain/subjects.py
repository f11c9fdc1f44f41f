"""The one table of NATS subjects and streams (ARCHITECTURE.md, Contract: NATS subjects).

Services build subjects only through these functions; no literals elsewhere.
"""

from __future__ import annotations

from dataclasses import dataclass

from .interval import Interval
from .subject_tokens import symbol_from_tokens, symbol_tokens
from .symbol import Symbol


@dataclass(frozen=True, slots=True)
class StreamSpec:
    name: str
    subjects: tuple[str, ...]
    work_queue: bool = False


STREAM_CMD = StreamSpec("PQ_CMD", ("pq.cmd.>",), work_queue=True)
STREAM_QUOTES = StreamSpec("PQ_QUOTES", ("pq.quotes.>",))
STREAM_BARS = StreamSpec("PQ_BARS", ("pq.bars.>",))
STREAM_JOBS = StreamSpec("PQ_JOBS", ("pq.jobs.>",))
STREAM_DLQ = StreamSpec("PQ_DLQ", ("pq.dlq.>",))
ALL_STREAMS: tuple[StreamSpec, ...] = (
    STREAM_CMD,
    STREAM_QUOTES,
    STREAM_BARS,
    STREAM_JOBS,
    STREAM_DLQ,
)

SYNC_COMMAND = "pq.cmd.sync"
SYNC_JOB_EVENTS = "pq.jobs.sync"  # SyncJobAccepted / Started / Progressed / Completed / Failed
QUOTES_ALL = "pq.quotes.>"
BARS_SYNCED_ALL = "pq.bars.synced.>"
BARS_COMPLETED_ALL = "pq.bars.completed.>"
SYMBOLS_META_ALL = "pq.bars.meta.>"
LIVE_BARS_ALL = "pq.live.bars.>"


def quotes_subject(symbol: Symbol) -> str:
    return f"pq.quotes.{symbol_tokens(symbol)}"


def bars_synced_subject(symbol: Symbol, interval: Interval) -> str:
    return f"pq.bars.synced.{symbol_tokens(symbol)}.{interval.value}"


def bars_completed_subject(symbol: Symbol, interval: Interval) -> str:
    return f"pq.bars.completed.{symbol_tokens(symbol)}.{interval.value}"


def symbol_meta_subject(symbol: Symbol) -> str:
    """SymbolResolved lives in PQ_BARS so one replay rebuilds bars and symbols."""
    return f"pq.bars.meta.{symbol_tokens(symbol)}"


def live_bars_subject(symbol: Symbol, interval: Interval) -> str:
    return f"pq.live.bars.{symbol_tokens(symbol)}.{interval.value}"


def dlq_subject(stream_name: str) -> str:
    return f"pq.dlq.{stream_name}"


def symbol_of_subject(subject: str) -> Symbol:
    """The symbol in a quotes, bars or live-bars subject."""
    parts = subject.split(".")
    if parts[:2] == ["pq", "quotes"] and len(parts) == 4:
        return symbol_from_tokens(parts[2], parts[3])
    if parts[:3] == ["pq", "bars", "meta"] and len(parts) == 5:
        return symbol_from_tokens(parts[3], parts[4])
    if parts[:2] in (["pq", "bars"], ["pq", "live"]) and len(parts) == 6:
        return symbol_from_tokens(parts[3], parts[4])
    raise ValueError(f"subject {subject!r} carries no symbol")
