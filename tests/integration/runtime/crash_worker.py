"""A producer process for the crash tests: commits state + outbox, then dies by SIGKILL.

Env: PQ_TEST_DB (SQLite path), PQ_TEST_NATS_URL, PQ_TEST_EVENTS (count), PQ_CRASH_AT:
- `after_commit`: killed right after the commit, before any relay publishes;
- `after_publish`: the relay publishes and gets the acks, killed before marking rows sent.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
from collections.abc import Sequence

from pq_runtime.messaging import OutboxRelay, RelaySettings, connect_nats
from pq_runtime.stores.adapters.sqlite import SqliteOutbox
from pq_runtime.stores.records import SentMark
from tests.integration.runtime.events import quote_envelope
from tests.integration.runtime.projection import open_projection_store


def die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


class DiesBeforeMarkingSent:
    """The store's outbox, except that the process dies instead of marking rows sent."""

    def __init__(self, outbox: SqliteOutbox) -> None:
        self._outbox = outbox
        self.name = outbox.name
        self.claim = outbox.claim

    async def mark_sent(self, marks: Sequence[SentMark]) -> None:
        die()


async def main() -> None:
    crash_at = os.environ["PQ_CRASH_AT"]
    n = int(os.environ["PQ_TEST_EVENTS"])
    store = await open_projection_store(os.environ["PQ_TEST_DB"])
    nc = await connect_nats(os.environ["PQ_TEST_NATS_URL"], name="crash-worker")
    rows = [(i,) for i in range(n)]

    async with store.unit_of_work() as uow:

        def produce(c: sqlite3.Connection) -> None:
            c.executemany("INSERT INTO produced (i) VALUES (?)", rows)

        uow.defer(produce)
        for i in range(n):
            uow.outbox.append(quote_envelope(i))
        await uow.commit()
    if crash_at == "after_commit":
        die()
    outbox = DiesBeforeMarkingSent(store.outbox)
    relay = OutboxRelay(nc, outbox, RelaySettings(lease_s=1.0))  # type: ignore[arg-type]
    await relay.publish_batch()
    raise SystemExit("should have died before marking rows sent")


if __name__ == "__main__":
    asyncio.run(main())
