"""Pure domain model: symbols, intervals, bars, quotes, aggregation, event schemas.

Standard library only: no I/O, no frameworks (a test walks the imports).
"""

from .bar import Bar, InvalidBar
from .interval import ALL_INTERVALS, Interval, InvalidInterval
from .quote import InvalidQuote, Quote
from .symbol import InvalidSymbol, Symbol

__all__ = [
    "ALL_INTERVALS",
    "Bar",
    "Interval",
    "InvalidBar",
    "InvalidInterval",
    "InvalidQuote",
    "InvalidSymbol",
    "Quote",
    "Symbol",
]
