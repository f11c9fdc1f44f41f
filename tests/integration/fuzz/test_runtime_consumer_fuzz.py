"""The runtime BatchConsumer under fuzzed input, with the domain decoders as the handler.

Per stream (PQ_QUOTES, PQ_BARS, PQ_CMD): the corpus (field mutants, random and truncated
bytes, non-object JSON, bad headers) interleaved with valid events. Each message must end
exactly once, applied or in `pq.dlq.<stream>` with its error; valid ones all applied; the
consumer never dies and the stream never stalls (everything settles before the deadline).
"""

from __future__ import annotations

import pytest
from nats.aio.client import Client

from pq_domain.subjects import SYNC_COMMAND
from pq_runtime.messaging import BatchConsumer
from pq_runtime.stores.adapters.sqlite import SqliteStore

from .accounting import check_accounting
from .corpus import corpus
from .decoding_handler import APPLIED_DDL, applied_log, decode_and_log
from .drive import fuzz_spec, fuzz_through
from .message_mutations import huge_garbage, huge_valid
from .valid_events import ValidEventFactory

# Strictly invalid inputs the domain decoders still accept: none since F3 was fixed
# (they coerced like float()/int()/str()/bool()). A new leniency found later goes here,
# with its finding, until it is fixed.
LENIENT_DECODING: tuple[str, ...] = ()

STREAMS = (
    ("QuoteReceived", "PQ_QUOTES", "pq.quotes.>"),
    ("BarCompleted", "PQ_BARS", "pq.bars.>"),
    ("BarSynced", "PQ_BARS", "pq.bars.>"),
    ("SyncRequested", "PQ_CMD", SYNC_COMMAND),
)


@pytest.mark.parametrize(("event_type", "stream", "subject"), STREAMS)
async def test_every_message_applied_or_dead_lettered_once(
    fuzz_nc: Client,
    fuzz_store: SqliteStore,
    fuzz_seed: int,
    event_type: str,
    stream: str,
    subject: str,
) -> None:
    await fuzz_store.ensure_schema(APPLIED_DDL)
    factory = ValidEventFactory()
    make = factory.maker(event_type)
    cases = corpus(event_type, factory, fuzz_seed)
    max_payload = fuzz_nc.max_payload
    # Near the server's max_payload: the padded valid event must be applied; garbage must
    # be dead-lettered, whole when it fits with the DLQ headers, else truncated (F2).
    cases += [huge_valid(make, max_payload, slack=4096), make().case()]
    cases += [huge_garbage(make, max_payload, slack=8192), make().case()]
    cases += [huge_garbage(make, max_payload, slack=400), make().case()]
    spec = fuzz_spec(stream, f"fuzz-{event_type.lower()}", (subject,))
    consumer = BatchConsumer(fuzz_nc, fuzz_store, spec, decode_and_log)

    run = await fuzz_through(consumer, fuzz_nc.jetstream(), cases, applied_log(fuzz_store))

    notable = check_accounting(
        run.published, run.applied, run.letters, accepted_findings=LENIENT_DECODING
    )
    assert len(run.published) == len(cases)
    valid = [p for p in run.published if p.case.strictly_valid]
    assert all(run.applied[p.seq] == 1 for p in valid)
    # Nothing here should need retries: decoding errors are permanent (dead-lettered at once).
    assert [o for o in notable if o.delivered > 1] == []
