"""The query service's bars projection (its real handler and SQLite read model) under fuzz.

Same corpus and invariants as the runtime test, for what PQ_BARS carries to query:
BarCompleted and BarSynced. "Applied" is read from the consumer's inbox (written in the
projection's transaction); each valid event's bar rows must be in the read model with the
stream sequence that wrote them.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import AsyncIterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from nats.aio.client import Client

from pq_query.adapters.sqlite.models import SqliteReadModels
from pq_query.handlers.bars import BarsProjection
from pq_query.handlers.consumers import BARS_SUBJECTS
from pq_query.handlers.hooked_uow import HookedStore
from pq_runtime.envelope import MSG_ID
from pq_runtime.messaging import BatchConsumer

from .accounting import Published, check_accounting
from .corpus import corpus
from .drive import fuzz_spec, fuzz_through
from .message_mutations import huge_valid
from .test_runtime_consumer_fuzz import LENIENT_DECODING
from .valid_events import ValidEventFactory

DURABLE = "fuzz-query-bars"
# Beyond the domain decoders' leniency (test_runtime_consumer_fuzz.py): none since the
# runtime dead-letters unknown schema versions for every consumer (F4).
QUERY_FINDINGS = (*LENIENT_DECODING,)


@pytest.fixture
async def read_models(tmp_path: Path) -> AsyncIterator[SqliteReadModels]:
    models = await SqliteReadModels.open(str(tmp_path / "query.db"), read_workers=1)
    try:
        yield models
    finally:
        await models.close()


def inbox_probe(models: SqliteReadModels) -> Any:
    async def probe(published: Sequence[Published]) -> Counter[int]:
        def read(conn: sqlite3.Connection) -> set[str]:
            rows = conn.execute("SELECT event_id FROM pq_inbox WHERE consumer = ?", (DURABLE,))
            return {r[0] for r in rows}

        seen = await models.store.db.transaction(read)
        return Counter(p.seq for p in published if (p.case.headers or {}).get(MSG_ID) in seen)

    return probe


async def bar_row_seqs(models: SqliteReadModels, generation: int) -> Counter[int]:
    def read(conn: sqlite3.Connection) -> Counter[int]:
        return Counter(r[0] for r in conn.execute(f"SELECT seq FROM bars_g{generation}"))

    return await models.store.db.transaction(read)


@pytest.mark.parametrize("event_type", ["BarCompleted", "BarSynced"])
async def test_bars_projection_applies_or_dead_letters_each_message_once(
    fuzz_nc: Client, read_models: SqliteReadModels, fuzz_seed: int, event_type: str
) -> None:
    generation = await read_models.generations.live()
    factory = ValidEventFactory()
    cases = corpus(event_type, factory, fuzz_seed)
    make = factory.maker(event_type)
    cases += [huge_valid(make, fuzz_nc.max_payload, slack=4096), make().case()]
    projection: BarsProjection[Any] = BarsProjection(lambda: read_models.bar_writer(generation))
    spec = fuzz_spec("PQ_BARS", DURABLE, BARS_SUBJECTS)
    consumer = BatchConsumer(fuzz_nc, HookedStore(read_models.store), spec, projection)

    run = await fuzz_through(consumer, fuzz_nc.jetstream(), cases, inbox_probe(read_models))

    notable = check_accounting(
        run.published, run.applied, run.letters, accepted_findings=QUERY_FINDINGS
    )
    rows = await bar_row_seqs(read_models, generation)
    bars_per_event = 1 if event_type == "BarCompleted" else 3
    for p in run.published:
        if p.case.label.endswith(".valid"):
            assert rows[p.seq] == bars_per_event, p.case.describe()
    for o in notable:  # the report's table (docs/fuzzing.md), visible with -s
        print(f"{o.label}: {o.outcome} delivered={o.delivered} {o.error[:80]}")
    # F5: integers beyond 64 bits are refused at decoding, never retried as transient.
    assert [o for o in notable if o.delivered > 1] == []
