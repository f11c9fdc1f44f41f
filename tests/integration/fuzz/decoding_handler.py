"""The reference handler: each event class's real `from_payload`, an applied log in SQLite.

It checks what the runtime leaves to handlers (the event type for the subject, the schema
version), decodes with the domain class, and appends (stream seq, event id) to a table
without a key, so a message applied twice would show as two rows.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Sequence
from typing import Any

from pq_domain.events import BarCompleted, BarSynced, QuoteReceived, SyncRequested
from pq_runtime.messaging import Delivery, PermanentError
from pq_runtime.stores.adapters.sqlite import SqliteStore, SqliteUnitOfWork

from .accounting import Published

APPLIED_DDL = "CREATE TABLE IF NOT EXISTS fuzz_applied (seq INTEGER NOT NULL, event_id TEXT)"
EVENT_BY_SUBJECT_PREFIX: tuple[tuple[str, Any], ...] = (
    ("pq.quotes.", QuoteReceived),
    ("pq.bars.completed.", BarCompleted),
    ("pq.bars.synced.", BarSynced),
    ("pq.cmd.sync", SyncRequested),
)


def event_class_of(subject: str) -> Any:
    for prefix, cls in EVENT_BY_SUBJECT_PREFIX:
        if subject.startswith(prefix):
            return cls
    raise PermanentError(f"no event class for subject {subject!r}")


async def decode_and_log(uow: SqliteUnitOfWork, batch: Sequence[Delivery]) -> None:
    rows: list[tuple[int, str]] = []
    for d in batch:
        cls = event_class_of(d.envelope.subject)
        if d.envelope.event_type != cls.EVENT_TYPE:
            raise PermanentError(f"event type {d.envelope.event_type!r} on {d.envelope.subject}")
        if d.envelope.schema_version != cls.SCHEMA_VERSION:
            raise PermanentError(f"unsupported schema version {d.envelope.schema_version}")
        cls.from_payload(d.data)  # InvalidEvent -> dead-lettered at once
        rows.append((d.stream_seq, d.event_id))
    uow.defer(lambda conn: conn.executemany("INSERT INTO fuzz_applied VALUES (?, ?)", rows))


def applied_log(store: SqliteStore) -> Any:
    async def probe(_: Sequence[Published]) -> Counter[int]:
        def read(conn: sqlite3.Connection) -> Counter[int]:
            return Counter(r[0] for r in conn.execute("SELECT seq FROM fuzz_applied"))

        return await store.db.transaction(read)

    return probe
