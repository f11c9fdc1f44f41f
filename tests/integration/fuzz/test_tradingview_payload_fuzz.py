"""The TradingView decoder past the framing: the `qsd` quote diffs (QuoteBook.apply) and the
`du`/`timescale_update` series payloads (bars_of_series), fed decoded-JSON-shaped values.

The framing is fuzzed in tests/unit/tradingview/test_framing_fuzz.py; what a frame carries
is interpreted here, and a bad value must be dropped (None, a counted repair), not raised.
Values are limited to what JSON can carry (finite floats), plus the protocol notes' example
shapes as seeds. F7 (docs/fuzzing.md), huge timestamps that overflowed, has its own tests
below; the generated values now include them too.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pq_domain import Symbol
from pq_tradingview.quote_book import QuoteBook
from pq_tradingview.series_bars import BarRepairs, bars_of_series

# Every finite float, up to 1.8e308: huge times must be dropped, not raised (F7).
SANE_FLOATS = st.floats(allow_nan=False, allow_infinity=False)
SCALARS = (
    st.none() | st.booleans() | st.integers(-(2**70), 2**70) | SANE_FLOATS | st.text(max_size=12)
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=7) | st.dictionaries(st.text(max_size=4), inner),
    max_leaves=10,
)
QUOTE_KEYS = ("lp", "lp_time", "volume", "bid", "ask", "ch", "update_mode", "description")
# From the protocol notes' qsd example: the fields a quote diff really carries.
QSD_EXAMPLE = {"lp": 189.98, "lp_time": 1714570200, "volume": 51234567, "bid": 189.97,
               "ask": 189.99, "ch": 1.23, "update_mode": "streaming"}  # fmt: skip
BAR_ENTRIES = st.lists(
    st.fixed_dictionaries({"i": st.integers(0, 5), "v": st.lists(SCALARS, max_size=7)}) | VALUES,
    max_size=5,
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.dictionaries(st.sampled_from(QUOTE_KEYS), SCALARS), min_size=1, max_size=4))
def test_quote_diffs_give_a_quote_or_nothing(diffs: list[dict[str, Any]]) -> None:
    book, symbol = QuoteBook(), Symbol.parse("NASDAQ:AAPL")
    book.apply("k", symbol, dict(QSD_EXAMPLE))
    for diff in diffs:
        book.apply("k", symbol, diff)


@settings(max_examples=300, deadline=None)
@given(BAR_ENTRIES, VALUES, st.booleans())
def test_series_payloads_give_bars_or_repairs(entries: Any, lbs: Any, wrap: bool) -> None:
    series: Any = {"s": entries, "lbs": lbs} if wrap else entries
    chunk = bars_of_series({"sds_1": series}, "sds_1", BarRepairs())
    if chunk is not None:
        assert all(b.l <= min(b.o, b.c) and b.h >= max(b.o, b.c) for b in chunk.bars)


@pytest.mark.parametrize("lp_time", [1e308, -1e308, 10**400, 2**63])
def test_huge_lp_time_is_dropped_not_raised(lp_time: float) -> None:
    book = QuoteBook()
    assert book.apply("k", Symbol.parse("NASDAQ:AAPL"), {**QSD_EXAMPLE, "lp_time": lp_time}) is None
    assert book.invalid_quotes == (0 if lp_time == 10**400 else 1)  # 10**400: not a number


@pytest.mark.parametrize("t", [1e308, -1e308, 10**400])
def test_huge_bar_time_is_a_repair_not_raised(t: float) -> None:
    entry = {"i": 0, "v": [t, 1.0, 2.0, 0.5, 1.5, 10.0]}
    repairs = BarRepairs()
    chunk = bars_of_series({"sds_1": {"s": [entry]}}, "sds_1", repairs)
    assert chunk is not None
    assert (chunk.bars, repairs.dropped) == ([], 1)


def test_huge_bar_close_time_is_ignored_and_counted() -> None:
    repairs = BarRepairs()
    chunk = bars_of_series({"sds_1": {"s": [], "lbs": {"bar_close_time": 1e308}}}, "sds_1", repairs)
    assert chunk is not None
    assert (chunk.bar_close_time_ms, repairs.bad_close_times) == (None, 1)
