"""Creating, listing and revoking API keys: what `pq keys` and the dev-key bootstrap do."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from .keys import ApiKeyRecord, Scope, hash_key, new_key

if TYPE_CHECKING:  # the store module brings the NATS client, which `pq keys` loads late
    from .store import ApiKeyStore


def _now_ms() -> int:
    return int(time.time() * 1000)


async def create_key(
    store: ApiKeyStore, *, name: str, scopes: tuple[Scope, ...], pepper: str
) -> tuple[ApiKeyRecord, str]:
    """The stored record and the full key, which exists nowhere else after this returns."""
    key_id, key = new_key()
    record = ApiKeyRecord(
        key_id=key_id,
        name=name,
        scopes=scopes,
        key_hash=hash_key(key, pepper),
        created_at=_now_ms(),
    )
    await store.put(record)
    return record, key


async def revoke_key(store: ApiKeyStore, key_id: str) -> ApiKeyRecord | None:
    """The revoked record (kept, for the audit trail), or None for an unknown id."""
    record = await store.get(key_id)
    if record is None:
        return None
    if record.active:
        record = record.revoked(_now_ms())
        await store.put(record)
    return record
