"""Batch consumers: apply once, ack after commit, poison messages to the DLQ, tracing."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from pathlib import Path

import pytest
from nats.aio.client import Client
from opentelemetry import trace
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from pq_domain.subjects import STREAM_QUOTES
from pq_runtime.messaging import BatchConsumer, ConsumerSpec, Delivery, OutboxRelay
from pq_runtime.stores.adapters.sqlite import SqliteStore, SqliteUnitOfWork
from pq_runtime.telemetry import RuntimeMetrics, correlation_scope, current_correlation_id
from tests.support.stream_reader import read_stream
from tests.support.waiting import wait_for

from ..events import quote, quote_envelope
from ..projection import applied_counts, count_applied, open_projection_store


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[SqliteStore]:
    s = await open_projection_store(tmp_path / "projection.db")
    yield s
    await s.close()


def _spec(**overrides: object) -> ConsumerSpec:
    base: dict[str, object] = {
        "stream": STREAM_QUOTES.name,
        "durable": "projector",
        "batch_size": 100,
        "max_deliver": 3,
        "backoff_s": (0.1, 0.2),
        "fetch_timeout_s": 0.5,
    }
    base.update(overrides)
    return ConsumerSpec(**base)  # type: ignore[arg-type]


async def _publish(nc: Client, n: int, start: int = 0) -> list[str]:
    js = nc.jetstream()
    ids = []
    for i in range(start, start + n):
        e = quote_envelope(i)
        await js.publish(e.subject, e.payload, headers=e.headers())
        ids.append(e.event_id)
    return ids


async def _all_applied(store: SqliteStore, ids: list[str]) -> bool:
    counts = await applied_counts(store)
    return all(i in counts for i in ids)


async def test_applies_each_message_once_and_acks(nc: Client, store: SqliteStore) -> None:
    metrics = RuntimeMetrics()
    consumer = BatchConsumer(nc, store, _spec(), count_applied, metrics=metrics)
    task = asyncio.create_task(consumer.run())
    ids = await _publish(nc, 250)
    await wait_for(lambda: _all_applied(store, ids), timeout=10, what="all applied")
    consumer.stop()
    await asyncio.wait_for(task, 5)

    assert await applied_counts(store) == dict.fromkeys(ids, 1)
    info = await nc.jetstream().consumer_info(STREAM_QUOTES.name, "projector")
    assert (info.num_pending, info.num_ack_pending) == (0, 0)
    processed = metrics.registry.get_sample_value(
        "pq_consumer_processed_total", {"stream": "PQ_QUOTES", "consumer": "projector"}
    )
    assert processed == 250


async def test_a_poison_message_goes_to_the_dlq_while_the_others_flow(
    nc: Client, store: SqliteStore
) -> None:
    poison = quote_envelope(7).event_id
    attempts: list[int] = []

    async def handler(uow: SqliteUnitOfWork, batch: Sequence[Delivery]) -> None:
        for d in batch:
            if d.event_id == poison:
                attempts.append(d.delivered)
                raise RuntimeError("cannot apply this one")
        await count_applied(uow, batch)

    metrics = RuntimeMetrics()
    consumer = BatchConsumer(nc, store, _spec(), handler, metrics=metrics)
    task = asyncio.create_task(consumer.run())
    ids = await _publish(nc, 50)
    good = [i for i in ids if i != poison]
    # The others are applied while the poison message is still being retried.
    await wait_for(lambda: _all_applied(store, good), timeout=10, what="good messages applied")
    js = nc.jetstream()

    async def dead_lettered() -> list[object]:
        return list(await read_stream(js, "PQ_DLQ"))

    [dead] = await wait_for(dead_lettered, timeout=10, what="poison message in PQ_DLQ")
    consumer.stop()
    await asyncio.wait_for(task, 5)

    assert sorted(set(attempts)) == [1, 2, 3]  # the first one in the batch, then alone
    headers = dead.headers or {}  # type: ignore[attr-defined]
    assert dead.subject == "pq.dlq.PQ_QUOTES"  # type: ignore[attr-defined]
    assert headers["Pq-Original-Subject"] == "pq.quotes.NASDAQ.AAPL"
    assert headers["Pq-Original-Msg-Id"] == poison
    assert headers["Pq-Delivered"] == "3"
    assert "cannot apply this one" in headers["Pq-Error"]
    assert poison not in await applied_counts(store)
    assert (
        metrics.registry.get_sample_value(
            "pq_dlq_total", {"stream": "PQ_QUOTES", "consumer": "projector"}
        )
        == 1
    )
    info = await js.consumer_info(STREAM_QUOTES.name, "projector")
    assert (info.num_pending, info.num_ack_pending) == (0, 0)


async def test_undecodable_messages_go_to_the_dlq_at_once(nc: Client, store: SqliteStore) -> None:
    js = nc.jetstream()
    good = quote_envelope(1)
    await js.publish("pq.quotes.NASDAQ.AAPL", b"{not json", headers=good.headers())
    await js.publish("pq.quotes.NASDAQ.AAPL", b"{}")  # no envelope headers
    await js.publish(good.subject, good.payload, headers={**good.headers(), "Nats-Msg-Id": "x"})
    consumer = BatchConsumer(nc, store, _spec(), count_applied)
    task = asyncio.create_task(consumer.run())

    async def two_dead() -> bool:
        return len(await read_stream(js, "PQ_DLQ")) == 2

    await wait_for(two_dead, timeout=10, what="two dead letters")
    await wait_for(lambda: _all_applied(store, ["x"]), timeout=10, what="good one applied")
    consumer.stop()
    await asyncio.wait_for(task, 5)
    errors = [(m.headers or {})["Pq-Error"] for m in await read_stream(js, "PQ_DLQ")]
    assert all(e.startswith("undecodable") for e in errors)
    assert [(m.headers or {})["Pq-Delivered"] for m in await read_stream(js, "PQ_DLQ")] == [
        "1",
        "1",
    ]


async def test_trace_and_correlation_travel_from_producer_to_consumer(
    nc: Client, store: SqliteStore, span_exporter: InMemorySpanExporter
) -> None:
    # The process's one provider, as every service in it uses (a provider of the test's own
    # would stay global for the rest of this worker's tests).
    tracer = trace.get_tracer("test")
    seen: list[tuple[str | None, int]] = []

    async def handler(uow: SqliteUnitOfWork, batch: Sequence[Delivery]) -> None:
        span = trace.get_current_span().get_span_context()
        seen.append((current_correlation_id(), span.trace_id))

    with tracer.start_as_current_span("http request") as span, correlation_scope("corr-7"):
        async with store.unit_of_work() as uow:
            uow.outbox.add(quote(1), "pq.quotes.NASDAQ.AAPL")
            await uow.commit()
        producer_trace = span.get_span_context().trace_id
    relay = OutboxRelay(nc, store.outbox)
    assert await relay.publish_batch() == (1, 0)

    consumer = BatchConsumer(nc, store, _spec(), handler)
    task = asyncio.create_task(consumer.run())
    await wait_for(lambda: _true_when(seen), timeout=10, what="handled")
    consumer.stop()
    await asyncio.wait_for(task, 5)
    assert seen == [("corr-7", producer_trace)]


async def _true_when(items: Sequence[object]) -> bool:
    return bool(items)


async def test_a_consumer_lost_on_the_server_is_recreated_and_resumes(
    nc: Client, store: SqliteStore
) -> None:
    consumer = BatchConsumer(nc, store, _spec(stall_check_s=1.0), count_applied)
    task = asyncio.create_task(consumer.run())
    first = await _publish(nc, 10)
    await wait_for(lambda: _all_applied(store, first), timeout=10, what="first ten applied")
    await nc.jetstream().delete_consumer(STREAM_QUOTES.name, "projector")
    more = await _publish(nc, 10, start=10)
    await wait_for(lambda: _all_applied(store, more), timeout=15, what="applied after the loss")
    consumer.stop()
    await asyncio.wait_for(task, 5)
    assert consumer.resubscribes >= 1
    # The recreated consumer starts over; the inbox skips what was applied.
    assert await applied_counts(store) == dict.fromkeys(first + more, 1)
