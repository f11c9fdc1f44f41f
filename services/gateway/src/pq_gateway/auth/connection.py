"""A short-lived NATS connection to the key store, for command-line tools."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import nats

from pq_runtime.bus_identity import NatsIdentity
from pq_runtime.messaging import server_urls

from .store import KvApiKeyStore


@asynccontextmanager
async def key_store_at(
    nats_url: str, *, replicas: int = 1, identity: NatsIdentity | None = None
) -> AsyncIterator[KvApiKeyStore]:
    """Fails fast (a few seconds) when NATS does not answer, unlike a service connection."""
    nc = await nats.connect(
        server_urls(nats_url),
        name="pq-keys",
        connect_timeout=3,
        max_reconnect_attempts=0,
        allow_reconnect=False,
        **(identity or NatsIdentity()).connect_options(),
    )
    try:
        yield KvApiKeyStore(nc.jetstream, replicas=replicas)
    finally:
        await nc.close()
