"""Test helpers: write the watchlist like the gateway, read what the streams and KV hold."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Any

import nats.errors
from nats.js import JetStreamContext
from nats.js.api import KeyValueConfig, StorageType
from nats.js.errors import NotFoundError
from nats.js.kv import KeyValue

from pq_domain import Symbol
from pq_domain.subject_tokens import symbol_tokens
from pq_domain.subjects import quotes_subject


class Watchlist:
    def __init__(self, kv: KeyValue) -> None:
        self.kv = kv

    @classmethod
    async def open(cls, js: JetStreamContext) -> Watchlist:
        config = KeyValueConfig(bucket="PQ_WATCHLIST", history=1, storage=StorageType.FILE)
        return cls(await js.create_key_value(config))

    async def add(self, *symbols: str) -> None:
        for text in symbols:
            symbol = Symbol.parse(text)
            value = {"symbol": str(symbol), "added_at": int(time.time() * 1000)}
            await self.kv.put(
                symbol_tokens(symbol), json.dumps(value).encode(), validate_keys=False
            )

    async def remove(self, *symbols: str) -> None:
        for text in symbols:
            await self.kv.delete(symbol_tokens(Symbol.parse(text)), validate_keys=False)


@dataclass(frozen=True)
class Stored:
    seq: int
    subject: str
    headers: dict[str, str]
    data: dict[str, Any]


async def stored(js: JetStreamContext, stream: str, subject: str = ">") -> list[Stored]:
    """Every message of `stream` on `subject` (a filter), through an ephemeral pull consumer
    (deleted after: a work-queue stream allows one consumer per filter)."""
    sub = await js.pull_subscribe(subject, stream=stream)
    found: list[Stored] = []
    try:
        while True:
            try:
                msgs = await sub.fetch(1000, timeout=0.5)
            except nats.errors.TimeoutError:
                break
            for m in msgs:
                found.append(
                    Stored(
                        m.metadata.sequence.stream,
                        m.subject,
                        dict(m.headers or {}),
                        json.loads(m.data),
                    )
                )
            if msgs and msgs[-1].metadata.num_pending == 0:
                break
    finally:
        info = await sub.consumer_info()
        await js.delete_consumer(stream, info.name)
    return found


async def last_seq(js: JetStreamContext, symbol: str) -> int:
    """Stream sequence of the newest quote of `symbol` on PQ_QUOTES (0: none yet)."""
    try:
        msg = await js.get_last_msg("PQ_QUOTES", quotes_subject(Symbol.parse(symbol)))
    except NotFoundError:
        return 0
    return msg.seq or 0


async def kv_values(kv: KeyValue) -> dict[str, dict[str, Any]]:
    watcher = await kv.watchall(ignore_deletes=True)
    values: dict[str, dict[str, Any]] = {}
    try:
        async for entry in watcher:
            if entry is None:
                break
            values[entry.key] = json.loads(entry.value or b"{}")
    finally:
        await watcher.stop()  # type: ignore[no-untyped-call]  # nats-py leaves it unannotated
    return values
