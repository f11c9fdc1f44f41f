"""Pure domain model: symbols, intervals, bars, quotes, aggregation, event schemas.

Standard library only: no I/O, no frameworks (a test walks the imports).
"""

from .aggregation import AggregatorConfig, BarAggregator
from .bar import Bar, InvalidBar
from .bucket_grid import BucketGrid
from .bucketing import (
    bucket_bounds,
    bucket_end,
    bucket_start,
    grid_bounds,
    grid_starts,
    intraday_bounds,
    trading_date,
)
from .interval import ALL_INTERVALS, Interval, InvalidInterval
from .quote import InvalidQuote, Quote
from .session import UTC_24X7, InvalidSession, TradingSession, default_session
from .session_day import SessionDay, session_day
from .symbol import InvalidSymbol, Symbol

__all__ = [
    "ALL_INTERVALS",
    "UTC_24X7",
    "AggregatorConfig",
    "Bar",
    "BarAggregator",
    "BucketGrid",
    "Interval",
    "InvalidBar",
    "InvalidInterval",
    "InvalidQuote",
    "InvalidSession",
    "InvalidSymbol",
    "Quote",
    "SessionDay",
    "Symbol",
    "TradingSession",
    "bucket_bounds",
    "bucket_end",
    "bucket_start",
    "default_session",
    "grid_bounds",
    "grid_starts",
    "intraday_bounds",
    "session_day",
    "trading_date",
]
