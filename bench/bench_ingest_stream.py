"""ingest-stream's hot path beside raw pipelined JetStream publishes, same server, same run.

- service: TradingView `qsd` frames -> decode -> QuoteSessionState (partial fields merged
  into complete Quotes) -> ConflatingBuffer -> QuoteReceived envelope -> QuotePublisher
  (publish_async, acks awaited per batch of 500) -> every ack in;
- raw: the same envelopes (payloads and headers built beforehand) with publish_async,
  acks awaited per batch of 500, nothing else.
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from pathlib import Path

from nats.js import JetStreamContext

from bench.bench_outbox import DefaultSyncConfig
from bench.harness import BenchRow
from pq_domain import Quote, Symbol
from pq_domain.subjects import quotes_subject
from pq_ingest_stream.adapters.quote_publisher import QuotePublisher, quote_received
from pq_ingest_stream.adapters.session_context import SessionContext
from pq_ingest_stream.metrics import StreamMetrics
from pq_launcher.ports import free_port
from pq_launcher.servers import NatsServer, start_nats_on_free_ports
from pq_runtime.envelope import Envelope
from pq_runtime.messaging import connect_nats, ensure_topology
from pq_tradingview.conflating_buffer import ConflatingBuffer
from pq_tradingview.framing import decode_message, encode_packet
from pq_tradingview.quote_session_state import QuoteSessionState

QUOTES = 20_000  # on nats-server's default fsync; a tenth of it on `sync_interval: always`
SYMBOLS = 50
BATCH = 500
SESSION = "qs_bench"


def _frames(base_s: int, quotes: int) -> tuple[list[Symbol], list[str]]:
    symbols = [Symbol("BINANCE", f"B{k}USDT") for k in range(SYMBOLS)]
    frames = []
    for i in range(quotes):
        s = symbols[i % SYMBOLS]
        values = {"lp": 100.0 + i % 97, "lp_time": base_s + i / 1000, "volume": float(i)}
        frames.append(encode_packet("qsd", [SESSION, {"n": str(s), "s": "ok", "v": values}]))
    return symbols, frames


async def _service(js: JetStreamContext, symbols: list[Symbol], frames: list[str]) -> float:
    buffer = ConflatingBuffer(depth=len(frames))
    state = QuoteSessionState(buffer)
    state.add(symbols)
    publisher = QuotePublisher(js, SessionContext("bench"), StreamMetrics(), batch_size=BATCH)
    started = time.perf_counter()
    for frame in frames:
        for packet in decode_message(frame):
            if isinstance(packet, dict):
                state.handle(packet, SESSION)
        event = await buffer.get()  # every frame completes one new quote (its lp_time moved)
        assert isinstance(event, Quote)
        await publisher.publish(quote_received(event))
    await publisher.flush()
    return len(frames) / (time.perf_counter() - started)


async def _raw(js: JetStreamContext, envelopes: list[Envelope]) -> float:
    started = time.perf_counter()
    for i in range(0, len(envelopes), BATCH):
        futures = [
            await js.publish_async(e.subject, e.payload, headers=e.headers())
            for e in envelopes[i : i + BATCH]
        ]
        await asyncio.gather(*futures)
    return len(envelopes) / (time.perf_counter() - started)


def _envelopes(symbols: list[Symbol], base_s: int, quotes: int) -> list[Envelope]:
    out = []
    for i in range(quotes):
        s = symbols[i % SYMBOLS]
        q = Quote(s, 100.0 + i % 97, float(i), round((base_s + i / 1000) * 1000))
        out.append(Envelope.of(quote_received(q), quotes_subject(s), correlation_id="raw:0"))
    return out


async def _measure(server: NatsServer, quotes: int) -> tuple[float, float]:
    try:
        nc = await connect_nats(server.url, name="bench-ingest-stream")
        js = nc.jetstream()
        await ensure_topology(js)
        symbols, frames = _frames(1_700_000_000, quotes)
        envelopes = _envelopes(symbols, 1_700_100_000, quotes)  # other event ids
        await _raw(js, envelopes[: quotes // 10])  # warm-up: connections, stream files
        raw_rate = await _raw(js, envelopes)
        service_rate = await _service(js, symbols, frames)
        await nc.close()
    finally:
        server.stop()
    return service_rate, raw_rate


async def run() -> list[BenchRow]:
    rows = []
    with tempfile.TemporaryDirectory(prefix="pq-bench-ingest-stream-") as tmp:
        folder = Path(tmp)
        always = start_nats_on_free_ports(folder / "always")
        default = NatsServer(
            DefaultSyncConfig(port=free_port(), monitor_port=free_port(), data_dir=folder / "d")
        )
        default.start()
        for label, server, quotes in (
            ("fsync default", default, QUOTES),
            ("sync_interval always", always, QUOTES // 10),
        ):
            service_rate, raw_rate = await _measure(server, quotes)
            rows.append(
                BenchRow(
                    f"ingest-stream qsd->QuoteReceived->ack ({label})",
                    service_rate,
                    "quotes/s",
                    "raw publish_async, acks per 500",
                    raw_rate,
                    target=">= 50% of raw",
                )
            )
    return rows
