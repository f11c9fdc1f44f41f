"""API keys: what a key looks like, how it is stored (hashed), and what its scopes grant.

A key is `pq_<key_id>_<secret>`: the 16-hex-digit id is public (listed, revoked by it,
the store's lookup key), the 256-bit secret is shown once at creation. The store keeps
only HMAC-SHA256(pepper, key): a random 256-bit secret needs no slow hash to resist
guessing, and the pepper (PQ_API_KEY_PEPPER, kept outside the store) makes a leaked
store useless on its own.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

KEY_PREFIX = "pq"


class Scope(StrEnum):
    READ = "read"
    WRITE = "write"
    ADMIN = "admin"


# Scopes are ranked: admin grants write and read, write grants read.
_GRANTS: dict[Scope, frozenset[Scope]] = {
    Scope.READ: frozenset({Scope.READ}),
    Scope.WRITE: frozenset({Scope.READ, Scope.WRITE}),
    Scope.ADMIN: frozenset(Scope),
}


def granted(scopes: tuple[Scope, ...]) -> frozenset[Scope]:
    return frozenset().union(*(_GRANTS[s] for s in scopes))


@dataclass(frozen=True, slots=True)
class ApiKeyRecord:
    key_id: str
    name: str
    scopes: tuple[Scope, ...]
    key_hash: str  # hex HMAC-SHA256(pepper, full key)
    created_at: int  # epoch ms
    revoked_at: int | None = None

    @property
    def active(self) -> bool:
        return self.revoked_at is None

    def revoked(self, at: int) -> ApiKeyRecord:
        return replace(self, revoked_at=at)

    def to_payload(self) -> dict[str, Any]:
        return {
            "key_id": self.key_id,
            "name": self.name,
            "scopes": [s.value for s in self.scopes],
            "key_hash": self.key_hash,
            "created_at": self.created_at,
            "revoked_at": self.revoked_at,
        }

    @classmethod
    def from_payload(cls, p: dict[str, Any]) -> ApiKeyRecord:
        return cls(
            key_id=str(p["key_id"]),
            name=str(p["name"]),
            scopes=tuple(Scope(s) for s in p["scopes"]),
            key_hash=str(p["key_hash"]),
            created_at=int(p["created_at"]),
            revoked_at=None if p.get("revoked_at") is None else int(p["revoked_at"]),
        )


def hash_key(key: str, pepper: str) -> str:
    return hmac.new(pepper.encode(), key.encode(), hashlib.sha256).hexdigest()


def new_key() -> tuple[str, str]:
    """(key_id, full key)."""
    key_id = secrets.token_hex(8)
    return key_id, f"{KEY_PREFIX}_{key_id}_{secrets.token_urlsafe(32)}"


def key_id_of(key: str) -> str | None:
    """The id inside a well-formed key, else None (no store lookup for garbage)."""
    parts = key.split("_", 2)
    if len(parts) != 3 or parts[0] != KEY_PREFIX or len(parts[1]) != 16 or not parts[2]:
        return None
    if any(c not in "0123456789abcdef" for c in parts[1]) or len(key) > 128:
        return None
    return parts[1]


def matches(record: ApiKeyRecord, key: str, pepper: str) -> bool:
    return hmac.compare_digest(record.key_hash, hash_key(key, pepper))
