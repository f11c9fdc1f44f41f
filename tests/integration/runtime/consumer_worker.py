"""A consumer process for the kill test: applies batches, dies by SIGKILL in the middle.

Env: PQ_TEST_DB, PQ_TEST_NATS_URL, PQ_CRASH_BATCH (which batch), PQ_CRASH_AT:
- `in_handler`: half the batch is written inside the transaction, then the process dies;
- `after_commit`: the batch's effects and inbox records are committed, then it dies
  before acking.
"""

from __future__ import annotations

import asyncio
import os
import signal
from collections.abc import Sequence

from pq_runtime.messaging import BatchConsumer, Delivery, connect_nats
from pq_runtime.stores.adapters.sqlite import SqliteUnitOfWork
from tests.integration.runtime.kill_spec import kill_test_spec
from tests.integration.runtime.projection import (
    count_applied,
    count_applied_now,
    open_projection_store,
)


def die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


async def main() -> None:
    crash_at = os.environ["PQ_CRASH_AT"]
    crash_batch = int(os.environ["PQ_CRASH_BATCH"])
    store = await open_projection_store(os.environ["PQ_TEST_DB"])
    nc = await connect_nats(os.environ["PQ_TEST_NATS_URL"], name="consumer-worker")
    batches = 0

    async def handler(uow: SqliteUnitOfWork, batch: Sequence[Delivery]) -> None:
        nonlocal batches
        batches += 1
        if batches == crash_batch and crash_at == "in_handler":
            await count_applied_now(uow, batch[: len(batch) // 2])
            die()
        await count_applied(uow, batch)
        if batches == crash_batch and crash_at == "after_commit":
            original = uow.commit

            async def commit_then_die() -> None:
                await original()
                die()

            uow.commit = commit_then_die  # type: ignore[method-assign]

    consumer = BatchConsumer(nc, store, kill_test_spec(), handler)
    await consumer.run()


if __name__ == "__main__":
    asyncio.run(main())
