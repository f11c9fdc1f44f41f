import sys

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from pq_domain import InvalidSymbol, Symbol
from pq_domain.symbol import MAX_SYMBOL_LENGTH, SYMBOL_PATTERN


@pytest.mark.parametrize(
    ("text", "exchange", "code"),
    [
        ("NASDAQ:AAPL", "NASDAQ", "AAPL"),
        ("nyse:brk.b", "NYSE", "BRK.B"),
        ("CME_MINI:ES1!", "CME_MINI", "ES1!"),
        ("BINANCE:BTCUSDT", "BINANCE", "BTCUSDT"),
    ],
)
def test_valid_symbols_parse_and_normalise(text: str, exchange: str, code: str) -> None:
    symbol = Symbol.parse(text)
    assert (symbol.exchange, symbol.code) == (exchange, code)
    assert str(symbol) == f"{exchange}:{code}"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("AAPL", "missing ':'"),
        (":AAPL", "empty exchange"),
        ("NASDAQ:", "empty code"),
        ("NAS DAQ:AAPL", "whitespace"),
        ("NASDAQ:AA\x00PL", "control character"),
        ("A:B:C", "more than one ':'"),
        ("X:" + "A" * 80, "longer than"),
    ],
)
def test_invalid_symbols_say_why(text: str, reason: str) -> None:
    with pytest.raises(InvalidSymbol, match=reason):
        Symbol.parse(text)


@settings(max_examples=300)
@given(st.text(max_size=80))
def test_parse_accepts_or_says_why_and_is_idempotent(text: str) -> None:
    try:
        symbol = Symbol.parse(text)
    except InvalidSymbol:
        return
    assert Symbol.parse(str(symbol)) == symbol
    assert symbol.exchange == symbol.exchange.upper()
    assert symbol.code == symbol.code.upper()


def test_the_one_scan_check_equals_the_per_character_rule() -> None:
    """Symbol.parse tests `not isprintable() or " " in part`: the same characters as
    `isspace() or not isprintable()` per character, over all of Unicode."""
    differ = [
        c
        for c in map(chr, range(sys.maxunicode + 1))
        if (c.isspace() or not c.isprintable()) != (c == " " or not c.isprintable())
    ]
    assert differ == []


@settings(max_examples=300)
@given(st.from_regex(SYMBOL_PATTERN, fullmatch=True))
def test_every_text_the_documented_pattern_admits_is_a_symbol(text: str) -> None:
    assume(len(text) <= MAX_SYMBOL_LENGTH)
    assert str(Symbol.parse(text)).upper() == text.upper()
