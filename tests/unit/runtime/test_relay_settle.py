"""The relay settles a batch: acked rows marked sent, failed ones released for a retry."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any

from nats.js.api import PubAck

from pq_runtime.envelope import Envelope
from pq_runtime.messaging import OutboxRelay, RelaySettings
from pq_runtime.stores import OutboxRow, OutboxStats, SentMark


class FakeOutbox:
    name = "fake"

    def __init__(self, rows: list[OutboxRow]) -> None:
        self.rows = rows
        self.sent: list[SentMark] = []
        self.released: list[int] = []

    async def claim(self, owner: str, limit: int, lease_s: float) -> list[OutboxRow]:
        rows, self.rows = self.rows[:limit], self.rows[limit:]
        return rows

    async def mark_sent(self, marks: Sequence[SentMark]) -> None:
        self.sent.extend(marks)

    async def release(self, owner: str, seqs: Sequence[int]) -> None:
        self.released.extend(seqs)

    async def stats(self) -> OutboxStats:
        return OutboxStats(len(self.rows), 0.0)


class FakeJetStream:
    """Acks every subject except `pq.fail` (error) and `pq.silent` (no ack ever)."""

    def __init__(self) -> None:
        self.published: list[tuple[str, dict[str, str]]] = []

    async def publish_async(
        self, subject: str, payload: bytes, headers: dict[str, str]
    ) -> asyncio.Future[PubAck]:
        self.published.append((subject, headers))
        fut: asyncio.Future[PubAck] = asyncio.get_running_loop().create_future()
        if subject == "pq.fail":
            fut.set_exception(RuntimeError("stream says no"))
        elif subject != "pq.silent":
            fut.set_result(PubAck(stream="S", seq=len(self.published)))
        return fut


class FakeClient:
    is_connected = True

    def __init__(self) -> None:
        self.js = FakeJetStream()

    def jetstream(self, **_: Any) -> FakeJetStream:
        return self.js


def _row(seq: int, subject: str) -> OutboxRow:
    env = Envelope(f"e{seq}", "T", 1, subject, b"{}")
    return OutboxRow(seq=seq, envelope=env, partition_key=subject, created_at=0.0)


async def test_acked_rows_are_marked_and_the_others_released() -> None:
    outbox = FakeOutbox(
        [_row(1, "pq.a"), _row(2, "pq.fail"), _row(3, "pq.silent"), _row(4, "pq.b")]
    )
    nc = FakeClient()
    relay = OutboxRelay(nc, outbox, RelaySettings(ack_timeout_s=0.05))  # type: ignore[arg-type]
    assert await relay.publish_batch() == (2, 2)
    assert [(m.seq, m.stream_seq) for m in outbox.sent] == [(1, 1), (4, 4)]
    assert outbox.released == [2, 3]
    # Published in seq order with the event id as Nats-Msg-Id.
    assert [h["Nats-Msg-Id"] for _, h in nc.js.published] == ["e1", "e2", "e3", "e4"]
