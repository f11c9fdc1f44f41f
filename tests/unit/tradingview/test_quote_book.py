"""Partial `qsd` updates merge into complete quotes."""

from __future__ import annotations

from pq_domain import Quote, Symbol
from pq_tradingview.quote_book import QuoteBook

AAPL = Symbol("NASDAQ", "AAPL")


def test_nothing_is_emitted_until_price_and_time_are_known() -> None:
    book = QuoteBook()
    assert book.apply("NASDAQ:AAPL", AAPL, {"bid": 1.0, "ask": 1.2}) is None
    assert book.apply("NASDAQ:AAPL", AAPL, {"lp": 1.1}) is None
    quote = book.apply("NASDAQ:AAPL", AAPL, {"lp_time": 1_700_000_000})
    assert quote == Quote(AAPL, 1.1, 0.0, 1_700_000_000_000, bid=1.0, ask=1.2)


def test_partial_updates_keep_the_other_fields() -> None:
    book = QuoteBook()
    full = {"lp": 10.0, "lp_time": 100, "volume": 500, "bid": 9.9, "ask": 10.1}
    book.apply("k", AAPL, full | {"update_mode": "streaming"})
    quote = book.apply("k", AAPL, {"lp": 10.5, "lp_time": 101.25, "volume": 520})
    assert quote == Quote(AAPL, 10.5, 520.0, 101_250, bid=9.9, ask=10.1)


def test_fractional_lp_time_keeps_milliseconds() -> None:
    quote = QuoteBook().apply("k", AAPL, {"lp": 1.0, "lp_time": 1741186975.5})
    assert quote is not None
    assert quote.ts == 1741186975500


def test_delayed_update_mode_marks_the_quote() -> None:
    values = {"lp": 1.0, "lp_time": 1, "update_mode": "delayed_streaming_900"}
    quote = QuoteBook().apply("k", AAPL, values)
    assert quote is not None
    assert quote.delayed


def test_a_diff_that_changes_nothing_of_the_quote_emits_nothing() -> None:
    book = QuoteBook()
    book.apply("k", AAPL, {"lp": 1.0, "lp_time": 1})
    assert book.apply("k", AAPL, {"ch": 0.5, "chp": 1.2}) is None


def test_after_a_reconnect_the_same_snapshot_is_not_emitted_twice() -> None:
    book = QuoteBook()
    snapshot = {"lp": 1.0, "lp_time": 1, "volume": 3}
    assert book.apply("k", AAPL, snapshot) is not None
    book.start_over()
    assert book.apply("k", AAPL, snapshot) is None
    assert book.apply("k", AAPL, {"lp": 2.0, "lp_time": 2}) is not None


def test_non_numeric_or_non_finite_values_are_ignored() -> None:
    book = QuoteBook()
    assert book.apply("k", AAPL, {"lp": "1.0", "lp_time": 1}) is None
    assert book.apply("k", AAPL, {"lp": float("nan")}) is None
    assert book.apply("k", AAPL, {"lp": 2.0, "volume": -5}) is None  # invalid volume
    assert book.invalid_quotes == 1
