"""LeaseBucket on a NATS KV bucket (JetStream-backed, file storage, history 1, TTL)."""

from __future__ import annotations

from nats.js import JetStreamContext
from nats.js.errors import (
    APIError,
    KeyDeletedError,
    KeyNotFoundError,
    KeyWrongLastSequenceError,
)
from nats.js.kv import KeyValue

from pq_domain.buckets import BAR_BUILDER_LEASES
from pq_runtime.messaging.kv import leases_config, live_entries, open_or_create

from ..ports import LeaseTaken

_LIST_TIMEOUT_S = 10.0  # a listing that takes longer fails the round (retried)
_WRONG_LAST_SEQUENCE = (10071, 10164)


class NatsLeaseBucket:
    def __init__(self, kv: KeyValue) -> None:
        self._kv = kv

    @classmethod
    async def open(
        cls,
        js: JetStreamContext,
        *,
        ttl_s: float,
        replicas: int = 1,
        name: str = BAR_BUILDER_LEASES,
    ) -> NatsLeaseBucket:
        # File storage (the config's): revisions, our fences, keep growing across restarts.
        config = leases_config(ttl_s=ttl_s, replicas=replicas, bucket=name)
        return cls(await open_or_create(js, config))

    async def create(self, key: str, value: bytes) -> int:
        try:
            return await self._kv.create(key, value)
        except KeyWrongLastSequenceError:
            raise LeaseTaken(key) from None

    async def update(self, key: str, value: bytes, last: int) -> int:
        try:
            return await self._kv.update(key, value, last=last)
        except KeyWrongLastSequenceError:
            raise LeaseTaken(key) from None

    async def delete(self, key: str, last: int) -> None:
        try:
            await self._kv.delete(key, last=last)
        except APIError as exc:
            if exc.err_code in _WRONG_LAST_SEQUENCE:
                raise LeaseTaken(key) from None
            raise

    async def put(self, key: str, value: bytes) -> int:
        return await self._kv.put(key, value)

    async def get(self, key: str) -> tuple[bytes, int] | None:
        try:
            entry = await self._kv.get(key)
        except (KeyNotFoundError, KeyDeletedError):
            return None
        return (entry.value or b"", entry.revision or 0)

    async def keys(self, prefix: str) -> list[str]:
        # Every lease round lists: the listing deletes its consumer (no pile at idle).
        entries = await live_entries(self._kv, _LIST_TIMEOUT_S, f"{prefix}>", meta_only=True)
        return [entry.key for entry in entries]
