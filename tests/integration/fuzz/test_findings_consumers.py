"""Reproducers of what the fuzzing found in the consumers (docs/fuzzing.md, F1 and F2).

Both were `xfail(strict=True)` until fixed; they now guard the fixes.
"""

from __future__ import annotations

from nats.aio.client import Client

from pq_runtime.messaging import BatchConsumer, connect_nats
from pq_runtime.stores.adapters.sqlite import SqliteStore

from .accounting import check_accounting
from .cases import FuzzCase, envelope_headers
from .decoding_handler import APPLIED_DDL, applied_log, decode_and_log
from .drive import fuzz_spec, fuzz_through
from .message_mutations import huge_garbage
from .valid_events import ValidEventFactory

DEEP = b"[" * 10_000 + b"]" * 10_000  # 20 KB; msgspec gives up near depth 1,000


def deeply_nested(factory: ValidEventFactory) -> FuzzCase:
    e = factory.quote()
    headers = envelope_headers(f"fuzz:deep:{e.event_id}", e.event_type)
    return FuzzCase("QuoteReceived.payload.nested_10000", e.subject, DEEP, headers, False)


async def test_deeply_nested_json_is_dead_lettered_not_fatal(
    fuzz_nc: Client, fuzz_store: SqliteStore
) -> None:
    await fuzz_store.ensure_schema(APPLIED_DDL)
    factory = ValidEventFactory()
    cases = [factory.quote().case(), deeply_nested(factory), factory.quote().case()]
    spec = fuzz_spec("PQ_QUOTES", "fuzz-deep", ("pq.quotes.>",))
    consumer = BatchConsumer(fuzz_nc, fuzz_store, spec, decode_and_log)
    run = await fuzz_through(
        consumer, fuzz_nc.jetstream(), cases, applied_log(fuzz_store), deadline_s=10
    )
    check_accounting(run.published, run.applied, run.letters)


async def test_garbage_just_under_max_payload_is_dead_lettered(
    fuzz_nc: Client, fuzz_nats_url: str, fuzz_store: SqliteStore
) -> None:
    await fuzz_store.ensure_schema(APPLIED_DDL)
    factory = ValidEventFactory()
    # Accepted by the server (headers + payload <= max_payload), then undecodable.
    big = huge_garbage(factory.quote, fuzz_nc.max_payload, slack=400)
    cases = [big, factory.quote().case()]
    spec = fuzz_spec("PQ_QUOTES", "fuzz-huge", ("pq.quotes.>",), ack_wait_s=2.0)
    # The consumer has a connection of its own, as in a service: the test's stays usable.
    consumer_nc = await connect_nats(fuzz_nats_url, name="fuzz-consumer")
    try:
        consumer = BatchConsumer(consumer_nc, fuzz_store, spec, decode_and_log)
        run = await fuzz_through(
            consumer, fuzz_nc.jetstream(), cases, applied_log(fuzz_store), deadline_s=10
        )
        assert consumer_nc.is_connected  # the server never had a reason to drop it
    finally:
        await consumer_nc.close()
    check_accounting(run.published, run.applied, run.letters)
    [letter] = run.letters
    # Too big to copy with the DLQ headers: a marked prefix, the original left in its stream.
    assert (letter.truncated, letter.original_size) == (True, len(big.payload))
    assert letter.original_seq == run.published[0].seq
