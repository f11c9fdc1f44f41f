"""Where API key records live: the PQ_API_KEYS NATS KV bucket (JetStream, file storage,
replicated like the streams), so `pq keys` works the same on the embedded stack and in
production, and every gateway replica sees one set of keys."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

import nats.errors
import structlog
from nats.js import JetStreamContext
from nats.js.errors import KeyNotFoundError
from nats.js.kv import KeyValue

from pq_runtime.codec import CodecError, decode, encode
from pq_runtime.messaging.kv import api_keys_config, live_entries, open_or_create

from .keys import ApiKeyRecord

log = structlog.get_logger("pq_gateway.api_keys")


class ApiKeyStore(Protocol):
    async def put(self, record: ApiKeyRecord) -> None: ...

    async def get(self, key_id: str) -> ApiKeyRecord | None: ...

    async def all(self) -> list[ApiKeyRecord]: ...


class StoreUnavailable(Exception):
    """The key store could not be reached."""


class KvApiKeyStore:
    """`jetstream` is called when the bucket is first needed (the gateway's NATS link
    connects in the background and raises a 503 problem until it is up)."""

    def __init__(
        self,
        jetstream: Callable[[], JetStreamContext],
        *,
        replicas: int = 1,
        timeout_s: float = 5.0,
    ) -> None:
        self._jetstream = jetstream
        self._replicas = replicas
        self._timeout_s = timeout_s
        self._kv: KeyValue | None = None

    async def put(self, record: ApiKeyRecord) -> None:
        kv = await self._bucket()
        try:
            await kv.put(record.key_id, encode(record.to_payload()))
        except (nats.errors.Error, TimeoutError) as exc:
            raise StoreUnavailable(repr(exc)) from exc

    async def get(self, key_id: str) -> ApiKeyRecord | None:
        kv = await self._bucket()
        try:
            entry = await kv.get(key_id)
        except KeyNotFoundError:
            return None
        except (nats.errors.Error, TimeoutError) as exc:
            raise StoreUnavailable(repr(exc)) from exc
        return _decode(entry.value)

    async def all(self) -> list[ApiKeyRecord]:
        kv = await self._bucket()
        try:
            entries = await live_entries(kv, self._timeout_s)
        except (nats.errors.Error, TimeoutError) as exc:
            raise StoreUnavailable(repr(exc)) from exc
        records = [r for r in (_decode(e.value) for e in entries) if r is not None]
        return sorted(records, key=lambda r: r.created_at)

    async def _bucket(self) -> KeyValue:
        if self._kv is None:
            try:
                js = self._jetstream()
                self._kv = await open_or_create(js, api_keys_config(self._replicas))
            except (nats.errors.Error, TimeoutError) as exc:
                raise StoreUnavailable(repr(exc)) from exc
        return self._kv


def _decode(value: bytes | None) -> ApiKeyRecord | None:
    try:
        return ApiKeyRecord.from_payload(decode(value or b""))
    except (CodecError, KeyError, TypeError, ValueError):
        log.warning("skipping a malformed API key record")
        return None
