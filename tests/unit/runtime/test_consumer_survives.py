"""BatchConsumer.process never raises for what one message or a lost connection does (F1, F2).

Fakes with visible state: messages whose ack/nak can fail like a closed connection, a
JetStream whose publish (the DLQ) can time out, a store that records commits.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from nats.errors import ConnectionClosedError

from pq_runtime.envelope import EVENT_TYPE, MSG_ID, SCHEMA_VERSION
from pq_runtime.messaging import BatchConsumer, ConsumerSpec, Delivery


@dataclass
class FakeMsg:
    data: bytes
    seq: int
    fail_settling: bool = False
    subject: str = "pq.quotes.NASDAQ.AAPL"
    headers: dict[str, str] = field(default_factory=dict)
    settled: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        envelope = {MSG_ID: f"id-{self.seq}", EVENT_TYPE: "T", SCHEMA_VERSION: "1"}
        self.headers = self.headers or envelope

    @property
    def metadata(self) -> Any:
        return SimpleNamespace(num_delivered=1, sequence=SimpleNamespace(stream=self.seq))

    async def ack(self) -> None:
        await self._settle("ack")

    async def nak(self, delay: float | None = None) -> None:
        await self._settle("nak")

    async def _settle(self, how: str) -> None:
        self.settled.append(how)
        if self.fail_settling:
            raise ConnectionClosedError


class FakeJetStream:
    def __init__(self, dlq_works: bool) -> None:
        self.dlq_works = dlq_works
        self.published: list[tuple[str, bytes, dict[str, str]]] = []

    async def publish(self, subject: str, data: bytes, headers: dict[str, str]) -> None:
        if not self.dlq_works:
            raise TimeoutError
        self.published.append((subject, data, headers))


class FakeNats:
    max_payload = 1024 * 1024
    is_closed = False
    is_connected = True

    def __init__(self, dlq_works: bool = True) -> None:
        self.js = FakeJetStream(dlq_works)

    def jetstream(self) -> FakeJetStream:
        return self.js


class FakeStore:
    def __init__(self) -> None:
        self.commits = 0

    @asynccontextmanager
    async def unit_of_work(self) -> AsyncIterator[Any]:
        store = self

        class Uow:
            async def commit(self) -> None:
                store.commits += 1

        yield Uow()


SPEC = ConsumerSpec("PQ_QUOTES", "c", max_deliver=3, idempotency="natural_key")


def consumer(handler: Any, nc: FakeNats | None = None) -> tuple[BatchConsumer[Any], FakeStore]:
    store = FakeStore()
    return BatchConsumer(nc or FakeNats(), store, SPEC, handler), store  # type: ignore[arg-type]


async def test_a_handler_crash_with_a_lost_connection_is_survived() -> None:
    async def handler(uow: Any, batch: Sequence[Delivery]) -> None:
        raise RecursionError("hostile input deep inside the handler")

    c, _ = consumer(handler)
    msgs = [FakeMsg(b"{}", 1, fail_settling=True), FakeMsg(b"{}", 2, fail_settling=True)]
    await c.process(msgs)  # type: ignore[arg-type]
    assert [m.settled for m in msgs] == [["nak"], ["nak"]]  # tried; left to redelivery


async def test_a_failed_ack_after_commit_does_not_reapply() -> None:
    calls: list[int] = []

    async def handler(uow: Any, batch: Sequence[Delivery]) -> None:
        calls.append(len(batch))

    c, store = consumer(handler)
    msgs = [FakeMsg(b"{}", 1, fail_settling=True), FakeMsg(b"{}", 2)]
    await c.process(msgs)  # type: ignore[arg-type]
    assert (calls, store.commits) == ([2], 1)
    assert [m.settled for m in msgs] == [["ack"], ["ack"]]


async def test_undecodable_with_the_dlq_down_and_a_lost_connection_is_survived() -> None:
    async def handler(uow: Any, batch: Sequence[Delivery]) -> None:
        raise AssertionError("never called")

    c, _ = consumer(handler, FakeNats(dlq_works=False))
    msg = FakeMsg(b"[" * 10_000 + b"]" * 10_000, 1, fail_settling=True)
    await c.process([msg])  # type: ignore[list-item]  # a fake nats Msg
    assert msg.settled == ["nak"]


async def test_unknown_schema_versions_are_dead_lettered_at_once() -> None:
    async def handler(uow: Any, batch: Sequence[Delivery]) -> None:
        raise AssertionError("never called")

    nc = FakeNats()
    c, _ = consumer(handler, nc)
    headers = {MSG_ID: "q", EVENT_TYPE: "QuoteReceived", SCHEMA_VERSION: "2"}
    msg = FakeMsg(b"{}", 1, headers=headers)
    await c.process([msg])  # type: ignore[list-item]  # a fake nats Msg
    [(subject, _, dlq_headers)] = nc.js.published
    assert (subject, msg.settled) == ("pq.dlq.PQ_QUOTES", ["ack"])
    assert dlq_headers["Pq-Error"].startswith("unknown schema: QuoteReceived schema version 2")
