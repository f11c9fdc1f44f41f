"""Symbols: `EXCHANGE:CODE`, as TradingView names them."""

from __future__ import annotations

from dataclasses import dataclass

MAX_SYMBOL_LENGTH = 64


class InvalidSymbol(ValueError):
    """The text is not a valid `EXCHANGE:CODE` symbol."""


@dataclass(frozen=True, slots=True, order=True)
class Symbol:
    exchange: str
    code: str

    @classmethod
    def parse(cls, text: str) -> Symbol:
        """Parse and normalise (upper case) `EXCHANGE:CODE`; raise InvalidSymbol with the reason."""
        if not isinstance(text, str):
            raise InvalidSymbol(f"symbol must be a string, got {type(text).__name__}")
        if len(text) > MAX_SYMBOL_LENGTH:
            raise InvalidSymbol(f"symbol is longer than {MAX_SYMBOL_LENGTH} characters")
        if ":" not in text:
            raise InvalidSymbol(f"symbol {text!r} must be EXCHANGE:CODE (missing ':')")
        exchange, _, code = text.partition(":")
        for part, name in ((exchange, "exchange"), (code, "code")):
            if not part:
                raise InvalidSymbol(f"symbol {text!r} has an empty {name}")
            # One C-level scan instead of a loop per character (this runs for every quote
            # decoded): every whitespace character but " " is also non-printable
            # (tests/unit/domain/test_symbol.py checks that over all of Unicode).
            if not part.isprintable() or " " in part:
                raise InvalidSymbol(
                    f"symbol {text!r} contains whitespace or a control character in its {name}"
                )
            if ":" in part:
                raise InvalidSymbol(f"symbol {text!r} has more than one ':'")
        return cls(exchange.upper(), code.upper())

    def __str__(self) -> str:
        return f"{self.exchange}:{self.code}"
