"""The TradingView decoder past the framing: the `qsd` quote diffs (QuoteBook.apply) and the
`du`/`timescale_update` series payloads (bars_of_series), fed decoded-JSON-shaped values.

The framing is fuzzed in tests/unit/tradingview/test_framing_fuzz.py; what a frame carries
is interpreted here, and a bad value must be dropped (None, a counted repair), not raised.
Values are limited to what JSON can carry (finite floats), plus the protocol notes' example
shapes as seeds. F7 (docs/fuzzing.md): huge timestamps overflow; excluded here, reproduced
below.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pq_domain import Symbol
from pq_tradingview.quote_book import QuoteBook
from pq_tradingview.series_bars import BarRepairs, bars_of_series

# Below ~1.8e305 s a timestamp times 1000 stays finite (F7 is about the rest).
SANE_FLOATS = st.floats(allow_nan=False, allow_infinity=False, min_value=-1e300, max_value=1e300)
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


@pytest.mark.xfail(strict=True, raises=OverflowError, reason="F7: round(1e308 * 1000)")
def test_huge_lp_time_is_dropped_not_raised() -> None:
    QuoteBook().apply("k", Symbol.parse("NASDAQ:AAPL"), {**QSD_EXAMPLE, "lp_time": 1e308})


@pytest.mark.xfail(strict=True, raises=OverflowError, reason="F7: round(1e308 * 1000)")
def test_huge_bar_time_is_a_repair_not_raised() -> None:
    entry = {"i": 0, "v": [1e308, 1.0, 2.0, 0.5, 1.5, 10.0]}
    bars_of_series({"sds_1": {"s": [entry]}}, "sds_1", BarRepairs())
