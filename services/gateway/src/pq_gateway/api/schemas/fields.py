"""Validated field types shared by bodies, query strings and paths."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Field, Strict, WithJsonSchema

from pq_domain import Symbol
from pq_domain.instants import MAX_EPOCH_MS, MIN_EPOCH_MS, integral, parse_instant
from pq_domain.symbol import MAX_SYMBOL_LENGTH, SYMBOL_PATTERN

# The grammar of pq_domain.symbol, for clients and generators (Symbol.parse is the rule).
SYMBOL_SCHEMA: dict[str, Any] = {"pattern": SYMBOL_PATTERN, "maxLength": MAX_SYMBOL_LENGTH}
_ONE = SYMBOL_PATTERN.removeprefix("^").removesuffix("$")
# A comma-separated list of them (`,` is not in the grammar).
SYMBOL_LIST_PATTERN = f"^{_ONE}(,{_ONE})*$"


def canonical_symbol(text: str) -> str:
    """`nyse:brk.b` -> `NYSE:BRK.B`; InvalidSymbol (a ValueError) names what is wrong."""
    return str(Symbol.parse(text))


_INSTANT_SCHEMA: dict[str, Any] = {
    "anyOf": [
        {"type": "string", "format": "date-time"},
        {
            "type": "integer",
            "minimum": MIN_EPOCH_MS,
            "maximum": MAX_EPOCH_MS,
            "description": "epoch milliseconds UTC",
        },
    ],
    "examples": ["2024-05-01T13:30:00Z", 1714570200000],
}

SymbolText = Annotated[
    str,
    Field(
        description="`EXCHANGE:CODE`, e.g. `NASDAQ:AAPL`",
        examples=["NASDAQ:AAPL"],
        json_schema_extra=SYMBOL_SCHEMA,
    ),
    AfterValidator(canonical_symbol),
]

# Epoch ms after validation; RFC 3339 text or epoch ms on the wire.
Instant = Annotated[int, BeforeValidator(parse_instant), WithJsonSchema(_INSTANT_SCHEMA)]

# A JSON integer: 5, or 5.0 (JSON Schema's `integer` is any number without a fraction, and
# clients that compute counts send them); 5.5, "5" and booleans are refused.
JsonInt = Annotated[int, BeforeValidator(integral), Strict()]
