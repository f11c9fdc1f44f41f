"""Key -> Principal, with a short in-process cache so a request costs no store round trip.

Cached answers (valid and invalid keys alike) live `PQ_API_KEY_CACHE_S` seconds (5):
a revoked key keeps working on a gateway replica for at most that long. While the key
store is unreachable (a NATS node down, the bucket electing a leader), a key that was
valid within the last `stale_s` seconds (60) still is: a few seconds of KV election must
not turn every read into a 503.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from .keys import ApiKeyRecord, Scope, granted, hash_key, key_id_of, matches
from .store import ApiKeyStore, StoreUnavailable

_MAX_CACHED = 10_000


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is calling: an API key (key_id set) or, with auth disabled, anyone."""

    key_id: str | None
    name: str
    scopes: frozenset[Scope]

    def allows(self, scope: Scope) -> bool:
        return scope in self.scopes


ANONYMOUS = Principal(key_id=None, name="anonymous (auth disabled)", scopes=frozenset(Scope))


def principal_of(record: ApiKeyRecord) -> Principal:
    return Principal(key_id=record.key_id, name=record.name, scopes=granted(record.scopes))


class ApiKeyAuthenticator:
    def __init__(
        self, store: ApiKeyStore, *, pepper: str, cache_s: float, stale_s: float = 60.0
    ) -> None:
        self._store = store
        self._pepper = pepper
        self._cache_s = cache_s
        self._stale_s = stale_s
        # Keyed by the key's HMAC, so no plaintext key outlives its request here.
        self._cache: dict[str, tuple[float, Principal | None]] = {}

    async def authenticate(self, key: str) -> Principal | None:
        """The key's principal, or None for an unknown, malformed or revoked key.

        Raises what the store raises when it is unreachable (the caller answers 503).
        """
        key_id = key_id_of(key)
        if key_id is None:
            return None
        digest = hash_key(key, self._pepper)
        now = time.monotonic()
        cached = self._cache.get(digest)
        if cached is not None and cached[0] > now:
            return cached[1]
        try:
            record = await self._store.get(key_id)
        except StoreUnavailable:
            if cached is not None and cached[1] is not None and now - cached[0] < self._stale_s:
                return cached[1]  # valid moments ago; the store will be back
            raise
        principal = None
        if record is not None and record.active and matches(record, key, self._pepper):
            principal = principal_of(record)
        if len(self._cache) >= _MAX_CACHED:
            self._cache.clear()  # crude but bounded; a refill costs one lookup per key
        self._cache[digest] = (now + self._cache_s, principal)
        return principal
