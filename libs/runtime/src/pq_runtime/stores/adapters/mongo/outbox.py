"""The relay's side of the MongoDB outbox: claim with a lease, mark sent, release, lag."""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

from pymongo import ASCENDING, UpdateOne
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase

from ...records import OutboxRow, OutboxStats, SentMark
from ...signal import CommitSignal
from .documents import LOCKS, OUTBOX, row_of


class MongoOutbox:
    def __init__(self, db: AsyncDatabase[dict[str, Any]], signal: CommitSignal) -> None:
        self._db = db
        self._col = db[OUTBOX]
        self._signal = signal
        self.name = db.name

    async def wait_for_commit(self, within_s: float) -> bool:
        return await self._signal.wait(within_s)

    async def claim(self, owner: str, limit: int, lease_s: float) -> list[OutboxRow]:
        async def work(s: AsyncClientSession) -> list[OutboxRow]:
            now = time.time()
            # Writing one lock document makes concurrent claims conflict, so they serialise.
            await self._db[LOCKS].update_one(
                {"_id": "outbox-claim"}, {"$set": {"by": owner, "at": now}}, upsert=True, session=s
            )
            blocked = await self._col.distinct(
                "partition_key",
                {
                    "sent": False,
                    "claimed_by": {"$nin": [None, owner]},
                    "lease_until": {"$gte": now},
                },
                session=s,
            )
            query = {
                "sent": False,
                "partition_key": {"$nin": blocked},
                "$or": [{"claimed_by": None}, {"claimed_by": owner}, {"lease_until": {"$lt": now}}],
            }
            cursor = self._col.find(query, session=s).sort("_id", ASCENDING).limit(limit)
            rows = [row_of(d) async for d in cursor]
            if rows:
                await self._col.update_many(
                    {"_id": {"$in": [r.seq for r in rows]}},
                    {"$set": {"claimed_by": owner, "lease_until": now + lease_s}},
                    session=s,
                )
            return rows

        async with self._db.client.start_session() as session:
            return await session.with_transaction(work)

    async def mark_sent(self, marks: Sequence[SentMark]) -> None:
        if not marks:
            return
        now = time.time()
        await self._col.bulk_write(
            [
                UpdateOne(
                    {"_id": m.seq},
                    {
                        "$set": {
                            "sent": True,
                            "sent_at": now,
                            "stream": m.stream,
                            "stream_seq": m.stream_seq,
                            "claimed_by": None,
                            "lease_until": None,
                        }
                    },
                )
                for m in marks
            ],
            ordered=False,
        )

    async def release(self, owner: str, seqs: Sequence[int]) -> None:
        await self._col.update_many(
            {"_id": {"$in": list(seqs)}, "claimed_by": owner, "sent": False},
            {"$set": {"claimed_by": None, "lease_until": None}},
        )

    async def stats(self) -> OutboxStats:
        pending = await self._col.count_documents({"sent": False})
        oldest = await self._col.find_one({"sent": False}, sort=[("_id", ASCENDING)])
        age = 0.0 if oldest is None else max(0.0, time.time() - float(oldest["created_at"]))
        return OutboxStats(pending=pending, oldest_age_s=age)

    async def sent_since(self, since: float, limit: int = 10_000) -> list[OutboxRow]:
        cursor = (
            self._col.find({"sent": True, "sent_at": {"$gte": since}})
            .sort("_id", ASCENDING)
            .limit(limit)
        )
        return [row_of(d) async for d in cursor]

    async def purge_sent(self, older_than: float) -> int:
        result = await self._col.delete_many({"sent": True, "sent_at": {"$lt": older_than}})
        return result.deleted_count
