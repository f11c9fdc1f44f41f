"""Pure domain model: symbols, intervals, bars, quotes, aggregation, event schemas.

Standard library only: no I/O, no frameworks (a test walks the imports).
"""

from .aggregation import AggregatorConfig, BarAggregator
from .bar import Bar, InvalidBar
from .bucketing import bucket_bounds, bucket_end, bucket_start, trading_date
from .interval import ALL_INTERVALS, Interval, InvalidInterval
from .quote import InvalidQuote, Quote
from .session import UTC_24X7, InvalidSession, TradingSession, default_session
from .symbol import InvalidSymbol, Symbol

__all__ = [
    "ALL_INTERVALS",
    "UTC_24X7",
    "AggregatorConfig",
    "Bar",
    "BarAggregator",
    "Interval",
    "InvalidBar",
    "InvalidInterval",
    "InvalidQuote",
    "InvalidSession",
    "InvalidSymbol",
    "Quote",
    "Symbol",
    "TradingSession",
    "bucket_bounds",
    "bucket_end",
    "bucket_start",
    "default_session",
    "trading_date",
]
