"""A key store that is briefly away (a KV leader election) does not refuse valid keys."""

from __future__ import annotations

import pytest

from pq_gateway.auth.authenticator import ApiKeyAuthenticator
from pq_gateway.auth.keys import ApiKeyRecord, Scope, hash_key, new_key
from pq_gateway.auth.store import StoreUnavailable

PEPPER = "p" * 32


class FlakyStore:
    """An in-memory key store that can be switched off, as the KV bucket is in an election."""

    def __init__(self) -> None:
        self.records: dict[str, ApiKeyRecord] = {}
        self.down = False

    async def put(self, record: ApiKeyRecord) -> None:
        self.records[record.key_id] = record

    async def get(self, key_id: str) -> ApiKeyRecord | None:
        if self.down:
            raise StoreUnavailable("leader election")
        return self.records.get(key_id)

    async def all(self) -> list[ApiKeyRecord]:
        return list(self.records.values())


async def valid_key(store: FlakyStore) -> str:
    key_id, key = new_key()
    await store.put(ApiKeyRecord(key_id, "k", (Scope.READ,), hash_key(key, PEPPER), 0))
    return key


async def test_a_key_valid_moments_ago_still_works_while_the_store_is_away() -> None:
    store = FlakyStore()
    key = await valid_key(store)
    auth = ApiKeyAuthenticator(store, pepper=PEPPER, cache_s=0.0, stale_s=60.0)
    assert await auth.authenticate(key) is not None
    store.down = True
    principal = await auth.authenticate(key)
    assert principal is not None
    assert principal.allows(Scope.READ)


async def test_an_unseen_key_is_still_refused_as_unavailable() -> None:
    store = FlakyStore()
    key = await valid_key(store)
    auth = ApiKeyAuthenticator(store, pepper=PEPPER, cache_s=0.0, stale_s=60.0)
    store.down = True
    with pytest.raises(StoreUnavailable):
        await auth.authenticate(key)


async def test_past_the_stale_window_the_store_decides() -> None:
    store = FlakyStore()
    key = await valid_key(store)
    auth = ApiKeyAuthenticator(store, pepper=PEPPER, cache_s=0.0, stale_s=0.0)
    assert await auth.authenticate(key) is not None
    store.down = True
    with pytest.raises(StoreUnavailable):
        await auth.authenticate(key)
