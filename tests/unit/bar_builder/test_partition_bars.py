"""Per-symbol state survives dump/load bit for bit: a restored partition continues exactly."""

from __future__ import annotations

from pq_bar_builder.model.partition_bars import PartitionBars
from pq_domain import AggregatorConfig, BarAggregator, Quote, Symbol

CONFIG = AggregatorConfig(grace_ms=2_000, lateness_ms=60_000, idle_timeout_ms=10_000)
SYMS = [Symbol("NASDAQ", "A"), Symbol("NYSE", "BRK.B"), Symbol("BINANCE", "BTCUSDT")]


def stream() -> list[Quote]:
    out = []
    for k in range(600):
        for i, s in enumerate(SYMS):
            ts = 1_704_067_200_000 + k * 1_000 + i * 7 - (4_000 if k % 97 == 0 else 0)
            out.append(Quote(s, 100.0 + (k * 13 + i) % 17 / 3, float(k * 5 + i), ts))
    return out


def test_dumped_and_loaded_state_continues_like_the_uninterrupted_run() -> None:
    quotes = stream()
    reference = BarAggregator(CONFIG)
    expected = [b for q in quotes for b in reference.on_quote(q, 0)]

    first = PartitionBars(CONFIG)
    got, touched = first.apply(quotes[:900], [0] * 900)
    assert set(touched) == set(SYMS)
    rows = [(str(s), first.dump(s)) for s in SYMS]
    second = PartitionBars(AggregatorConfig(grace_ms=2_000, lateness_ms=60_000))  # idle changed
    second.load(rows)
    rest, _ = second.apply(quotes[900:], [0] * (len(quotes) - 900))
    # Per symbol, the same bars in the same order (a batch is applied symbol by symbol).
    for s in SYMS:
        assert [b for b in got + rest if b.symbol == s] == [b for b in expected if b.symbol == s]
    assert len(got + rest) == len(expected)


def test_tick_closes_idle_symbols_by_wall_clock() -> None:
    bars = PartitionBars(CONFIG)
    # a 24x7 symbol: 00:00:30 UTC is after the NASDAQ close, where a quote makes no bar
    bars.apply([Quote(SYMS[2], 1.0, 1.0, 1_704_067_230_000)], [5_000])
    assert bars.tick(5_000 + 9_999) == []
    closed = bars.tick(5_000 + 40_000)  # 40 s idle: horizon passes the 1m bar's end + grace
    assert [b.interval.value for b in closed] == ["1m"]
