"""BarAggregator throughput (quotes/s, higher is better) on ~200k deterministic quotes.

Rows: the batch API with all 8 intervals and with the 5 intraday ones, against a
vectorized polars resample of the same quotes into the 5 intraday intervals
(columns prebuilt, volume deltas included: its best case); the batch API against
the per-quote API; and the fast path against the slow path alone (every quote
updating every interval's bar, as a straightforward aggregator would).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import polars as pl

from bench.harness import BenchRow, rate
from pq_domain import ALL_INTERVALS, AggregatorConfig, BarAggregator, Interval, Quote, Symbol
from pq_domain.aggregation import book, symbol_state

N_QUOTES = 200_000
START = 1_704_151_800_000  # 2024-01-01 23:30 UTC: the run crosses a UTC midnight
INTRADAY = tuple(i for i in ALL_INTERVALS if i.is_intraday)
EXCHANGES = ("BINANCE", "FX", "NASDAQ", "CME_MINI")


def make_quotes(n: int = N_QUOTES, n_symbols: int = 20, seed: int = 7) -> list[Quote]:
    """A shuffled-feed mix: ~10 quotes/s overall, 1% late by up to 3 s, one volume reset."""
    rng = random.Random(seed)
    symbols = [Symbol(EXCHANGES[i % len(EXCHANGES)], f"S{i:02d}") for i in range(n_symbols)]
    prices = [100.0 + i for i in range(n_symbols)]
    totals = [1_000.0 * (i + 1) for i in range(n_symbols)]
    latest = [START] * n_symbols
    ts = START
    quotes: list[Quote] = []
    for k in range(n):
        i = rng.randrange(n_symbols)
        ts += rng.randrange(0, 200)
        prices[i] = round(prices[i] + rng.gauss(0, 0.05), 2)
        if k == n // 2:
            totals[i] = 0.0  # a new trading day for one symbol
        if rng.random() < 0.01:  # a late tick
            quotes.append(Quote(symbols[i], prices[i], totals[i], latest[i] - rng.randrange(3_000)))
            continue
        totals[i] += rng.randrange(1, 500)
        latest[i] = ts
        quotes.append(Quote(symbols[i], prices[i], totals[i], ts))
    return quotes


def run_batch(quotes: list[Quote], intervals: tuple[Interval, ...]) -> int:
    agg = BarAggregator(AggregatorConfig(intervals=intervals))
    done = agg.on_quotes(quotes, 0)
    return len(done) + len(agg.on_clock(10**15))


def run_per_quote(quotes: list[Quote]) -> int:
    agg = BarAggregator()
    on_quote = agg.on_quote
    done = 0
    for q in quotes:
        done += len(on_quote(q, 0))
    return done


@contextmanager
def slow_path_only() -> Iterator[None]:
    """Disable the fast path: every quote updates each interval's bar one by one."""
    original = symbol_state.SymbolState.set_limit

    def never_fast(self: symbol_state.SymbolState) -> None:
        self.limit = book.BEFORE

    symbol_state.SymbolState.set_limit = never_fast  # type: ignore[method-assign]
    try:
        yield
    finally:
        symbol_state.SymbolState.set_limit = original  # type: ignore[method-assign]


def polars_frame(quotes: list[Quote]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "symbol": [str(q.symbol) for q in quotes],
            "ts": [q.ts for q in quotes],
            "price": [q.price for q in quotes],
            "volume": [q.volume for q in quotes],
        }
    )


def polars_resample(frame: pl.DataFrame) -> int:
    """Volume deltas per symbol, then OHLCV per (symbol, bucket) for each intraday interval."""
    prev = pl.col("volume").shift(1).over("symbol")
    ticks = frame.with_columns(
        delta=pl.when(prev.is_null())
        .then(0.0)
        .when(pl.col("volume") >= prev)
        .then(pl.col("volume") - prev)
        .otherwise(pl.col("volume"))
    ).sort("ts", maintain_order=True)
    rows = 0
    for interval in INTRADAY:
        bars = ticks.group_by("symbol", (pl.col("ts") // interval.millis).alias("bucket")).agg(
            o=pl.col("price").first(),
            h=pl.col("price").max(),
            l=pl.col("price").min(),
            c=pl.col("price").last(),
            v=pl.col("delta").sum(),
            n=pl.len(),
        )
        rows += bars.height
    return rows


def _rate(fn: Callable[[], object], n: int) -> float:
    return rate(n, fn, repeat=5)


def run() -> list[BenchRow]:
    quotes = make_quotes()
    n = len(quotes)
    frame = polars_frame(quotes)
    all8 = _rate(lambda: run_batch(quotes, ALL_INTERVALS), n)
    intraday = _rate(lambda: run_batch(quotes, INTRADAY), n)
    polars = _rate(lambda: polars_resample(frame), n)
    per_quote = _rate(lambda: run_per_quote(quotes), n)
    with slow_path_only():
        slow = _rate(lambda: run_batch(quotes, ALL_INTERVALS), n)
    unit = "quotes/s"
    vs_polars = "polars resample, 5 intraday"
    return [
        BenchRow("aggregator batch, 8 intervals", all8, unit, vs_polars, polars),
        BenchRow("aggregator batch, 5 intraday", intraday, unit, vs_polars, polars),
        BenchRow("aggregator batch API, 8 intervals", all8, unit, "per-quote API", per_quote),
        BenchRow("aggregator fast path, 8 intervals", all8, unit, "slow path only", slow),
    ]
