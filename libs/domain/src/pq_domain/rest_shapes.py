"""REST bodies that the query service encodes and the gateway documents and passes on.

Each is defined once, here: query encodes these dataclasses with msgspec, and the
gateway's OpenAPI document derives their schemas from them (pydantic reads dataclasses).
Times in them are RFC 3339 UTC strings.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# No docstrings on the classes: the OpenAPI document would take them as descriptions.


# What the bars read model holds of one interval: its first and last bar open, its count.
@dataclass(frozen=True, slots=True)
class IntervalCoverage:
    interval: str
    start: str | None = None
    end: str | None = None  # the open time of the last bar
    bars: int | None = None


# A tracked symbol: its covered intervals and what the provider said about it.
@dataclass(frozen=True, slots=True)
class SymbolPublic:
    symbol: str
    intervals: list[IntervalCoverage] = field(default_factory=list)
    description: str | None = None
    type: str | None = None
    currency: str | None = None
    exchange: str | None = None
    timezone: str | None = None
    session: str | None = None
    pricescale: int | None = None
    delayed: bool | None = None


@dataclass(frozen=True, slots=True)
class SymbolsList:
    symbols: list[SymbolPublic]
