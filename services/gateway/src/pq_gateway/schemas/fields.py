"""Validated field types shared by bodies, query strings and paths."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Field, WithJsonSchema

from pq_domain import Symbol

from ..times import parse_instant


def canonical_symbol(text: str) -> str:
    """`nyse:brk.b` -> `NYSE:BRK.B`; InvalidSymbol (a ValueError) names what is wrong."""
    return str(Symbol.parse(text))


_INSTANT_SCHEMA: dict[str, Any] = {
    "anyOf": [
        {"type": "string", "format": "date-time"},
        {"type": "integer", "minimum": 0, "description": "epoch milliseconds UTC"},
    ],
    "examples": ["2024-05-01T13:30:00Z", 1714570200000],
}

SymbolText = Annotated[
    str,
    Field(description="`EXCHANGE:CODE`, e.g. `NASDAQ:AAPL`", examples=["NASDAQ:AAPL"]),
    AfterValidator(canonical_symbol),
]

# Epoch ms after validation; RFC 3339 text or epoch ms on the wire.
Instant = Annotated[int, BeforeValidator(parse_instant), WithJsonSchema(_INSTANT_SCHEMA)]
