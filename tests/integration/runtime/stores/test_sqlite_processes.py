"""SQLite: several processes commit to one database file (WAL + busy_timeout)."""

from __future__ import annotations

import asyncio
import multiprocessing
from pathlib import Path

from pq_runtime.stores.adapters.sqlite import SqliteStore

from ..events import quote_envelope

PROCESSES = 3
COMMITS = 100


def _writer(path: str, worker: int) -> None:
    async def main() -> None:
        store = await SqliteStore.open(path, busy_timeout_ms=10_000)
        for i in range(COMMITS):
            async with store.unit_of_work() as uow:
                uow.outbox.append(quote_envelope(worker * COMMITS + i), partition_key=f"w{worker}")
                uow.mark_processed(f"c{worker}", [str(i)])
                await uow.commit()
        await store.close()

    asyncio.run(main())


async def test_several_processes_share_one_database(tmp_path: Path) -> None:
    path = tmp_path / "shared.db"
    await (await SqliteStore.open(path)).close()  # create the schema first
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_writer, args=(str(path), w)) for w in range(PROCESSES)]
    for p in procs:
        p.start()
    for p in procs:
        await asyncio.to_thread(p.join, 60)
    assert [p.exitcode for p in procs] == [0] * PROCESSES

    store = await SqliteStore.open(path)
    rows = await store.outbox.claim("reader", PROCESSES * COMMITS * 2, 30.0)
    assert len(rows) == PROCESSES * COMMITS
    assert len({r.seq for r in rows}) == PROCESSES * COMMITS
    for w in range(PROCESSES):  # each writer's rows are in its commit order
        mine = [r.envelope.event_id for r in rows if r.partition_key == f"w{w}"]
        assert mine == [quote_envelope(w * COMMITS + i).event_id for i in range(COMMITS)]
    await store.close()
