"""The relay's side of the SQLite outbox: claim with a lease, mark sent, release, lag, purge."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Sequence
from typing import Any

from ....envelope import Envelope
from ...records import OutboxRow, OutboxStats, SentMark
from ...signal import CommitSignal
from .database import SqliteDatabase
from .schema import OUTBOX_COLUMNS

# The earliest pending rows whose partition key no other relay holds a live lease on.
_CLAIMABLE = f"""
SELECT {OUTBOX_COLUMNS} FROM pq_outbox
WHERE sent_at IS NULL
  AND (claimed_by IS NULL OR claimed_by = :me OR lease_until < :now)
  AND partition_key NOT IN (
      SELECT partition_key FROM pq_outbox
      WHERE sent_at IS NULL AND claimed_by IS NOT NULL AND claimed_by <> :me
        AND lease_until >= :now)
ORDER BY seq LIMIT :limit
"""


def row_of(r: Sequence[Any]) -> OutboxRow:
    return OutboxRow(
        seq=r[0],
        envelope=Envelope(
            event_id=r[1],
            event_type=r[2],
            schema_version=r[3],
            subject=r[4],
            payload=bytes(r[8]),
            correlation_id=r[6],
            traceparent=r[7],
        ),
        partition_key=r[5],
        created_at=r[9],
        sent_at=r[10],
        stream=r[11],
        stream_seq=r[12],
    )


class SqliteOutbox:
    def __init__(self, db: SqliteDatabase, signal: CommitSignal) -> None:
        self._db = db
        self._signal = signal
        self.name = db.path.name

    async def wait_for_commit(self, within_s: float) -> bool:
        return await self._signal.wait(within_s)

    async def claim(self, owner: str, limit: int, lease_s: float) -> list[OutboxRow]:
        def work(conn: sqlite3.Connection) -> list[OutboxRow]:
            now = time.time()
            rows = [
                row_of(r)
                for r in conn.execute(_CLAIMABLE, {"me": owner, "now": now, "limit": limit})
            ]
            conn.executemany(
                "UPDATE pq_outbox SET claimed_by = ?, lease_until = ? WHERE seq = ?",
                [(owner, now + lease_s, r.seq) for r in rows],
            )
            return rows

        return await self._db.transaction(work)

    async def mark_sent(self, marks: Sequence[SentMark]) -> None:
        now = time.time()
        params = [(now, m.stream, m.stream_seq, m.seq) for m in marks]
        await self._db.transaction(
            lambda conn: conn.executemany(
                "UPDATE pq_outbox SET sent_at = ?, stream = ?, stream_seq = ?, "
                "claimed_by = NULL, lease_until = NULL WHERE seq = ?",
                params,
            )
        )

    async def release(self, owner: str, seqs: Sequence[int]) -> None:
        params = [(s, owner) for s in seqs]
        await self._db.transaction(
            lambda conn: conn.executemany(
                "UPDATE pq_outbox SET claimed_by = NULL, lease_until = NULL "
                "WHERE seq = ? AND claimed_by = ? AND sent_at IS NULL",
                params,
            )
        )

    async def stats(self) -> OutboxStats:
        def work(conn: sqlite3.Connection) -> OutboxStats:
            count, oldest = conn.execute(
                "SELECT COUNT(*), MIN(created_at) FROM pq_outbox WHERE sent_at IS NULL"
            ).fetchone()
            age = 0.0 if oldest is None else max(0.0, time.time() - oldest)
            return OutboxStats(pending=count, oldest_age_s=age)

        return await self._db.read(work)

    async def sent_since(self, since: float, limit: int = 10_000) -> list[OutboxRow]:
        def work(conn: sqlite3.Connection) -> list[OutboxRow]:
            cur = conn.execute(
                f"SELECT {OUTBOX_COLUMNS} FROM pq_outbox WHERE sent_at IS NOT NULL "
                "AND sent_at >= ? ORDER BY seq LIMIT ?",
                (since, limit),
            )
            return [row_of(r) for r in cur]

        return await self._db.read(work)

    async def purge_sent(self, older_than: float) -> int:
        return await self._db.transaction(
            lambda conn: (
                conn.execute(
                    "DELETE FROM pq_outbox WHERE sent_at IS NOT NULL AND sent_at < ?", (older_than,)
                ).rowcount
            )
        )
