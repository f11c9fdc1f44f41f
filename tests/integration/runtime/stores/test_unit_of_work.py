"""Contract: a unit of work commits state, outbox rows and inbox records together, or none."""

from __future__ import annotations

import pytest
from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider

from pq_runtime.telemetry import correlation_scope

from ..events import quote, quote_envelope
from ..stores_under_test import StoreUnderTest


async def test_commit_writes_state_outbox_and_inbox_together(
    store_under_test: StoreUnderTest,
) -> None:
    sut = store_under_test
    async with sut.store.unit_of_work() as uow:
        await sut.counters(uow).add("bars", 2)
        uow.outbox.append(quote_envelope(1))
        uow.mark_processed("projector", ["e-1"])
        await uow.commit()

    assert await sut.counter("bars") == 2
    assert (await sut.store.outbox.stats()).pending == 1
    async with sut.store.unit_of_work() as uow:
        assert await uow.seen("projector", ["e-1", "e-2"]) == {"e-1"}
        assert await uow.seen("other", ["e-1"]) == set()


async def test_leaving_without_commit_writes_nothing(store_under_test: StoreUnderTest) -> None:
    sut = store_under_test
    async with sut.store.unit_of_work() as uow:
        await sut.counters(uow).add("bars", 5)
        uow.outbox.append(quote_envelope(1))
        uow.mark_processed("projector", ["e-1"])

    async def failing_handler() -> None:
        async with sut.store.unit_of_work() as uow:
            await sut.counters(uow).add("bars", 7)
            uow.outbox.append(quote_envelope(2))
            raise RuntimeError("handler failed")

    with pytest.raises(RuntimeError):
        await failing_handler()

    assert await sut.counter("bars") == 0
    assert (await sut.store.outbox.stats()).pending == 0
    async with sut.store.unit_of_work() as uow:
        assert await uow.seen("projector", ["e-1"]) == set()


async def test_reads_inside_the_unit_of_work_see_its_own_writes(
    store_under_test: StoreUnderTest,
) -> None:
    sut = store_under_test
    async with sut.store.unit_of_work() as uow:
        counters = sut.counters(uow)
        await counters.add("k", 1)
        await uow.commit()
    async with sut.store.unit_of_work() as uow:
        counters = sut.counters(uow)
        assert await counters.get("k") == 1
        await counters.add("k", 1)
        await uow.commit()
    assert await sut.counter("k") == 2


async def test_append_captures_correlation_id_and_traceparent(
    store_under_test: StoreUnderTest,
) -> None:
    sut = store_under_test
    tracer = TracerProvider().get_tracer("test")
    with tracer.start_as_current_span("request") as span, correlation_scope("corr-42"):
        async with sut.store.unit_of_work() as uow:
            envelope = uow.outbox.add(quote(1), "pq.quotes.NASDAQ.AAPL")
            await uow.commit()
        trace_id = format(span.get_span_context().trace_id, "032x")

    assert envelope.correlation_id == "corr-42"
    assert envelope.traceparent is not None
    assert trace_id in envelope.traceparent
    [row] = await sut.store.outbox.claim("relay-a", 10, 30.0)
    assert row.envelope == envelope
    assert row.partition_key == "pq.quotes.NASDAQ.AAPL"
    assert trace.get_current_span() is trace.INVALID_SPAN


async def test_commit_wakes_the_relay_signal(store_under_test: StoreUnderTest) -> None:
    sut = store_under_test
    assert not await sut.store.outbox.wait_for_commit(0.01)
    async with sut.store.unit_of_work() as uow:
        uow.outbox.append(quote_envelope(1))
        await uow.commit()
    assert await sut.store.outbox.wait_for_commit(0.01)


async def test_inbox_retention_purges_old_records(store_under_test: StoreUnderTest) -> None:
    sut = store_under_test
    async with sut.store.unit_of_work() as uow:
        uow.mark_processed("projector", ["e-1", "e-2"])
        await uow.commit()
    assert await sut.store.purge_inbox(older_than_s=3600) == 0
    assert await sut.store.purge_inbox(older_than_s=-1) == 2
