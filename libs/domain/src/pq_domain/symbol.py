"""Symbols: `EXCHANGE:CODE`, as TradingView names them, in one grammar.

The grammar (checked by `Symbol.parse`, which every door uses: REST paths, query strings
and bodies, the live stream, webhooks, the CLI):

    symbol   = exchange ":" code                  at most 64 characters in all
    exchange = 1*32 WORD                          NASDAQ, CME_MINI, FX_IDC
    code     = WORD *( WORD / "." / "!" / "&" / "-" )
                                                  AAPL, BRK.B, ES1!, M&M, 005930
    WORD     = a letter or digit (of any script) or "_"   (a regex word character)
    no ".." anywhere in the code

Case-insensitive, normalised to upper case. Nothing in the grammar can climb a path
(`/`, `..`), split a list (`,`), escape a URL (`%`), reach a NATS wildcard (`*`, `>`) or
carry whitespace, a control or an invisible formatting character. SYMBOL_PATTERN spells
its ASCII part for documents (JSON Schema patterns have no portable "letter of any
script").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_SYMBOL_LENGTH = 64
MAX_EXCHANGE_LENGTH = 32
_EXCHANGE = re.compile(r"\w{1,32}")
_match_symbol = re.compile(r"(\w{1,32}):(\w[\w.!&-]*)").fullmatch
# The grammar's ASCII part as one pattern, for documents and clients: a dot is always
# followed by another character of the code, or ends it (so never "..").
SYMBOL_PATTERN = r"^[A-Za-z0-9_]{1,32}:[A-Za-z0-9_](?:[A-Za-z0-9_!&-]|\.[A-Za-z0-9_!&-])*\.?$"


class InvalidSymbol(ValueError):
    """The text is not a valid `EXCHANGE:CODE` symbol."""


@dataclass(frozen=True, slots=True, order=True)
class Symbol:
    exchange: str
    code: str

    @classmethod
    def parse(cls, text: str) -> Symbol:
        """Parse and normalise (upper case) `EXCHANGE:CODE`; raise InvalidSymbol with the reason."""
        # The fast path (every decoded quote comes here): one C-level match.
        if isinstance(text, str) and len(text) <= MAX_SYMBOL_LENGTH:
            match = _match_symbol(text)
            if match is not None and ".." not in text:
                exchange, code = match.groups()
                return cls(exchange.upper(), code.upper())
        if not isinstance(text, str):
            raise InvalidSymbol(f"symbol must be a string, got {type(text).__name__}")
        if len(text) > MAX_SYMBOL_LENGTH:
            raise InvalidSymbol(f"symbol is longer than {MAX_SYMBOL_LENGTH} characters")
        exchange, colon, code = text.partition(":")
        raise InvalidSymbol(_why(text, exchange, colon, code))

    def __str__(self) -> str:
        return f"{self.exchange}:{self.code}"


def _why(text: str, exchange: str, colon: str, code: str) -> str:
    shown = repr(text)
    if not colon:
        return f"symbol {shown} must be EXCHANGE:CODE (missing ':')"
    for part, name in ((exchange, "exchange"), (code, "code")):
        if not part:
            return f"symbol {shown} has an empty {name}"
        if not part.isprintable() or " " in part:
            return f"symbol {shown} contains whitespace or a control character in its {name}"
    if ":" in code:
        return f"symbol {shown} has more than one ':'"
    if not _EXCHANGE.fullmatch(exchange):
        return (
            f"symbol {shown}: the exchange must be 1 to {MAX_EXCHANGE_LENGTH} letters, "
            "digits or '_'"
        )
    if ".." in code:
        return f"symbol {shown}: the code must not contain '..'"
    return (
        f"symbol {shown}: the code must be letters, digits and '_' '.' '!' '&' '-', "
        "starting with a letter, digit or '_'"
    )
