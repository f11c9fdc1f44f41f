"""Hypothesis strategies: random quote streams with resets, gaps and late ticks."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import strategies as st

from pq_domain import AggregatorConfig, Quote, Symbol

SYMBOLS = [Symbol.parse(s) for s in ("BINANCE:BTCUSDT", "FX:EURUSD", "NYSE:BRK.B")]
# Starts near US DST changes and month ends, so calendar buckets turn over.
STARTS = [
    int(datetime.fromisoformat(s).replace(tzinfo=UTC).timestamp() * 1000)
    for s in (
        "2024-03-08 20:55",
        "2024-03-10 20:59",
        "2024-11-01 20:40",
        "2024-01-31 21:58",
        "2024-06-28 13:25",
        "2024-12-31 23:58",
    )
]
STEPS = [0, 1, 500, 1_999, 2_000, 2_001, 30_000, 59_999, 60_000, 61_000, 300_000]
BIG_STEPS = [3_600_000, 14_400_000, 86_400_000, 3 * 86_400_000, 20 * 86_400_000]
LAGS = [1, 1_000, 2_000, 2_001, 30_000, 60_000, 62_000, 62_001, 300_000, 7_200_000, 172_800_000]

configs = st.builds(
    AggregatorConfig,
    grace_ms=st.sampled_from([0, 2_000]),
    lateness_ms=st.sampled_from([0, 60_000, 3_600_000, 86_400_000]),
    idle_timeout_ms=st.just(10_000),
)


@st.composite
def quote_streams(draw: st.DrawFn, *, max_size: int = 60, exact: bool = True) -> list[Quote]:
    """Quotes in arrival order. `exact`: prices and volumes whose sums are exact floats."""
    start = draw(st.sampled_from(STARTS))
    latest: dict[Symbol, int] = {}
    total: dict[Symbol, float] = {}
    quotes: list[Quote] = []
    symbols = draw(st.lists(st.sampled_from(SYMBOLS), min_size=1, max_size=3, unique=True))
    for _ in range(draw(st.integers(1, max_size))):
        symbol = draw(st.sampled_from(symbols))
        kind = draw(st.sampled_from(["step", "step", "step", "big", "late", "late", "reset"]))
        if symbol not in latest:
            ts, volume = start + draw(st.sampled_from(STEPS)), draw(_amounts(exact))
            latest[symbol], total[symbol] = ts, volume
        elif kind == "late":
            ts = latest[symbol] - draw(st.sampled_from(LAGS))
            volume = draw(_amounts(exact))  # anything: late quotes never count volume
        else:
            latest[symbol] += draw(st.sampled_from(BIG_STEPS if kind == "big" else STEPS))
            ts = latest[symbol]
            if kind == "reset":
                total[symbol] = draw(_amounts(exact))
            else:
                total[symbol] += draw(_amounts(exact))
            volume = total[symbol]
        price = draw(st.integers(1, 40)) / 4 if exact else draw(st.floats(-5, 5))
        quotes.append(Quote(symbol, price, volume, ts))
    return quotes


def _amounts(exact: bool) -> st.SearchStrategy[float]:
    if exact:
        return st.integers(0, 1_000).map(float)
    return st.floats(0, 1_000, allow_nan=False)
