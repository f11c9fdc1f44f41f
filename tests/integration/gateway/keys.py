"""Create API keys in a test's NATS (the PQ_API_KEYS bucket), as `pq keys create` does."""

from __future__ import annotations

from pq_gateway.auth.connection import key_store_at
from pq_gateway.auth.keys import Scope
from pq_gateway.auth.management import create_key


async def new_api_key(nats_url: str, *scopes: Scope, pepper: str = "") -> str:
    async with key_store_at(nats_url) as store:
        _, key = await create_key(store, name="test", scopes=scopes, pepper=pepper)
    return key


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}
