"""Compare sent outbox rows with the stream; republish any gap with the same Nats-Msg-Id.

A publish ack can precede the fsync (nats-server's default sync interval), so an OS
crash may lose acknowledged messages. The outbox keeps sent rows for a retention period
with the stream sequence of their ack; this checks each still holds our event (a lost
tail is refilled by later messages with other ids, so the id is compared, not just the
sequence) and republishes the missing ones.

Run it over a window shorter than each stream's max age. Work-queue streams (PQ_CMD)
delete acked messages by design, so they are skipped. A republish the stream still
reports as a duplicate (its id is inside the duplicate window although the message is
gone, e.g. deleted by hand) is counted as `deferred`: run the reconciler again later.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass

from nats.aio.client import Client
from nats.js.errors import NotFoundError

from pq_domain.subjects import ALL_STREAMS

from ..envelope import MSG_ID
from ..stores.records import OutboxRow, SentMark
from .outbox_port import OutboxSource

WORK_QUEUE_STREAMS = frozenset(s.name for s in ALL_STREAMS if s.work_queue)


@dataclass(frozen=True, slots=True)
class ReconcileReport:
    checked: int
    missing: int
    republished: int
    deferred: int
    skipped: int


async def reconcile(
    nc: Client,
    outbox: OutboxSource,
    *,
    window_s: float = 24 * 3600.0,
    limit: int = 100_000,
    concurrency: int = 64,
) -> ReconcileReport:
    js = nc.jetstream()
    rows = await outbox.sent_since(time.time() - window_s, limit)
    checkable = [
        r for r in rows if r.stream and r.stream_seq and r.stream not in WORK_QUEUE_STREAMS
    ]
    gate = asyncio.Semaphore(concurrency)

    async def present(row: OutboxRow) -> bool:
        assert row.stream is not None
        assert row.stream_seq is not None
        async with gate:
            try:
                msg = await js.get_msg(row.stream, row.stream_seq, direct=True)
            except NotFoundError:
                return False
        return (msg.headers or {}).get(MSG_ID) == row.envelope.event_id

    found = await asyncio.gather(*(present(r) for r in checkable))
    missing = [r for r, ok in zip(checkable, found, strict=True) if not ok]
    marks = []
    for row in missing:
        env = row.envelope
        ack = await js.publish(env.subject, env.payload, headers=env.headers())
        if not ack.duplicate:
            marks.append(SentMark(row.seq, ack.stream, ack.seq))
    if marks:
        await outbox.mark_sent(marks)
    return ReconcileReport(
        checked=len(checkable),
        missing=len(missing),
        republished=len(marks),
        deferred=len(missing) - len(marks),
        skipped=len(rows) - len(checkable),
    )
