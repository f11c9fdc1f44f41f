"""Quote streams for the bar-builder tests: published with the runtime envelope, and the
bars a fresh domain BarAggregator expects from them (the independent expectation)."""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import Any

from nats.js import JetStreamContext

from pq_domain import AggregatorConfig, BarAggregator, Quote, Symbol
from pq_domain.events import QuoteReceived
from pq_domain.subjects import quotes_subject
from pq_runtime.codec import encode
from pq_runtime.envelope import Envelope

# 2024-01-02 14:30 UTC, a Tuesday's 09:30 New York open: NASDAQ trades (a quote outside its
# session is in no bar), and far in the past, so no idle close fires.
START_MS = 1_704_205_800_000


def symbols(n: int, exchange: str = "NASDAQ") -> list[Symbol]:
    return [Symbol(exchange, f"S{i:02d}") for i in range(n)]


def quote_stream(
    syms: Sequence[Symbol], per_symbol: int, *, step_ms: int = 1_000, seed: int = 7
) -> list[QuoteReceived]:
    """Interleaved quotes: each symbol's event time advances `step_ms` (with jitter and the
    odd late tick), cumulative volume grows; global order is by round, then symbol."""
    rng = random.Random(seed)
    price = {s: 100.0 + i for i, s in enumerate(syms)}
    volume = {s: 0.0 for s in syms}
    out: list[QuoteReceived] = []
    for k in range(per_symbol):
        for s in syms:
            price[s] = round(price[s] + rng.uniform(-0.5, 0.5), 2)
            volume[s] += rng.randint(0, 50)
            ts = START_MS + k * step_ms + rng.randint(0, step_ms // 2)
            if k > 5 and rng.random() < 0.02:
                ts -= 5 * step_ms  # a late tick: revisions are part of the contract
            out.append(QuoteReceived(s, price[s], volume[s], ts))
    return out


def envelope_of(q: QuoteReceived) -> Envelope:
    return Envelope.of(q, quotes_subject(q.symbol), correlation_id=f"test-{q.ts}")


async def publish_quotes(js: JetStreamContext, quotes: Sequence[QuoteReceived]) -> None:
    futures = []
    for q in quotes:
        e = envelope_of(q)
        futures.append(await js.publish_async(e.subject, e.payload, headers=e.headers()))
    for f in futures:
        await f


def expected_bars(
    quotes: Sequence[QuoteReceived], config: AggregatorConfig
) -> dict[str, dict[str, Any]]:
    """BarCompleted payloads by event id, from a fresh aggregator fed the same stream."""
    agg = BarAggregator(config)
    out: dict[str, dict[str, Any]] = {}
    for q in quotes:
        quote = Quote(q.symbol, q.price, q.volume, q.ts)
        for bar in agg.on_quote(quote, 0):
            out[bar.event_id] = bar.to_payload()
    return out


def poison_payload() -> tuple[bytes, dict[str, str]]:
    return b"{not json", {"Nats-Msg-Id": "poison-1", "Pq-Event-Type": "QuoteReceived"}


def quote_bytes(q: QuoteReceived) -> bytes:
    return encode(q.to_payload())
