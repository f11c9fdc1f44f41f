"""Publishing contract events the way the outbox relay does (runtime envelope headers)."""

from __future__ import annotations

import uuid

from nats.js import JetStreamContext

from pq_domain import Bar, Interval, Symbol
from pq_domain.events import BarCompleted, BarSynced, SymbolResolved
from pq_domain.subjects import bars_completed_subject, bars_synced_subject, symbol_meta_subject
from pq_runtime.envelope import DomainEvent, Envelope

H = 3_600_000
T0 = 1_704_067_200_000  # 2024-01-01T00:00:00Z


def unique_symbol(exchange: str = "NASDAQ") -> Symbol:
    return Symbol(exchange, f"T{uuid.uuid4().hex[:8].upper()}.B")


def hourly_bars(count: int, *, start: int = T0, base: float = 100.0, step: int = H) -> list[Bar]:
    out = []
    for i in range(count):
        o = base + i % 17
        out.append(Bar(start + i * step, o, o + 2, o - 1, o + 1, 10.0 + i))
    return out


async def publish(js: JetStreamContext, event: DomainEvent, subject: str, msg_id: str = "") -> int:
    envelope = Envelope.of(event, subject, correlation_id="test")
    headers = envelope.headers()
    if msg_id:
        headers["Nats-Msg-Id"] = msg_id  # a re-publish outside the duplicate window
    ack = await js.publish(subject, envelope.payload, headers=headers)
    return ack.seq


async def publish_sync(
    js: JetStreamContext, job_id: str, symbol: Symbol, interval: Interval, bars: list[Bar],
    *, chunk_size: int = 1000, msg_prefix: str = "",
) -> None:  # fmt: skip
    chunks = [bars[i : i + chunk_size] for i in range(0, len(bars), chunk_size)]
    for n, chunk in enumerate(chunks):
        event = BarSynced(job_id, symbol, interval, tuple(chunk), chunk=n, chunks=len(chunks))
        msg_id = f"{msg_prefix}{event.event_id}" if msg_prefix else ""
        await publish(js, event, bars_synced_subject(symbol, interval), msg_id)


async def publish_live(
    js: JetStreamContext, symbol: Symbol, interval: Interval, bar: Bar, revision: int = 0
) -> None:
    event = BarCompleted(symbol, interval, bar, ticks=3, revision=revision)
    await publish(js, event, bars_completed_subject(symbol, interval))


def resolved(symbol: Symbol, at: int = T0) -> SymbolResolved:
    return SymbolResolved(
        symbol, "Test Inc.", "stock", "USD", symbol.exchange, "America/New_York",
        "0930-1600", 100, False, at,
    )  # fmt: skip


async def publish_meta(js: JetStreamContext, symbol: Symbol, at: int = T0) -> None:
    await publish(js, resolved(symbol, at), symbol_meta_subject(symbol))
