"""The streaming BarAggregator equals the batch reference on random quote streams."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from pq_domain import (
    AggregatorConfig,
    BarAggregator,
    Quote,
    Symbol,
    TradingSession,
    default_session,
)
from pq_domain.events import BarCompleted

from .reference import Key, RefBar, reference_bars
from .streams import configs, quote_streams

FLUSH = 10**15  # a wall time after which every bar has closed by the idle rule


def session_for(symbol: Symbol) -> TradingSession:
    return default_session(symbol.exchange)


def final_bars(events: list[BarCompleted]) -> dict[Key, RefBar]:
    """The last revision of each bar; revisions must come as 0, 1, 2, ... per bar."""
    bars: dict[Key, RefBar] = {}
    for e in events:
        key = (e.symbol, e.interval, e.bar.t)
        expected = bars[key].revision + 1 if key in bars else 0
        assert e.revision == expected, f"{key}: revision {e.revision}, expected {expected}"
        b = e.bar
        bars[key] = RefBar(b.o, b.h, b.l, b.c, b.v, e.ticks, e.revision)
    return bars


@settings(max_examples=250, deadline=None)
@given(quote_streams(), configs)
def test_streaming_equals_batch_reference(quotes: list[Quote], config: AggregatorConfig) -> None:
    agg = BarAggregator(config, session_for)
    events: list[BarCompleted] = []
    for now, q in enumerate(quotes):
        events += agg.on_quote(q, now)
    events += agg.on_clock(FLUSH)

    expected = reference_bars(quotes, config, session_for)
    assert final_bars(events) == expected.bars
    assert agg.dropped_late == expected.dropped_late
    assert agg.revisions == sum(b.revision for b in expected.bars.values())
    assert agg.counters()["completed"] == len(expected.bars)


@settings(max_examples=100, deadline=None)
@given(quote_streams(exact=False), configs, st.lists(st.integers(1, 7), min_size=1))
def test_batches_of_any_size_equal_quote_by_quote(
    quotes: list[Quote], config: AggregatorConfig, sizes: list[int]
) -> None:
    one_by_one = BarAggregator(config, session_for)
    expected = [e for q in quotes for e in one_by_one.on_quote(q, 0)]
    batched = BarAggregator(config, session_for)
    got: list[BarCompleted] = []
    i = 0
    while i < len(quotes):
        size = sizes[len(got) % len(sizes)]
        got += batched.on_quotes(quotes[i : i + size], 0)
        i += size
    assert got == expected
    assert batched.snapshot() == one_by_one.snapshot()


@settings(max_examples=100, deadline=None)
@given(
    quote_streams(exact=False),
    configs,
    st.data(),
)
def test_snapshot_and_restore_mid_stream_changes_nothing(
    quotes: list[Quote], config: AggregatorConfig, data: st.DataObject
) -> None:
    # Wall times advance with random pauses (some long enough for idle closes).
    gaps = data.draw(st.lists(st.sampled_from([0, 100, 3_000, 15_000, 120_000]),
                              min_size=len(quotes), max_size=len(quotes)))  # fmt: skip
    nows = [sum(gaps[: i + 1]) for i in range(len(quotes))]
    cut = data.draw(st.integers(0, len(quotes)))

    def run(agg: BarAggregator, start: int, stop: int) -> list[BarCompleted]:
        out: list[BarCompleted] = []
        for q, now in zip(quotes[start:stop], nows[start:stop], strict=True):
            out += agg.on_clock(now)
            out += agg.on_quote(q, now)
        return out

    uninterrupted = BarAggregator(config, session_for)
    expected = run(uninterrupted, 0, len(quotes)) + uninterrupted.on_clock(FLUSH)

    before = BarAggregator(config, session_for)
    got = run(before, 0, cut)
    saved = json.loads(json.dumps(before.snapshot()))  # what a service would persist
    after = BarAggregator(config, session_for)
    after.restore(saved)
    assert after.snapshot() == saved
    got += run(after, cut, len(quotes)) + after.on_clock(FLUSH)

    assert got == expected
    assert after.counters() == uninterrupted.counters()
