"""The live watchlist in the PQ_WATCHLIST KV bucket (ingest-stream shards watch it).

Key: the symbol's escaped subject tokens (`NYSE:BRK.B` -> `NYSE.BRK~2EB`, see
pq_domain.subject_tokens), so a key maps back to its symbol without a lookup.
Value: JSON `{"symbol": "NYSE:BRK.B", "added_at": <epoch ms>, "owner": <key id> | null}`
(`owner`: the API key that added it, auth/ownership.py; the shards read only keys).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import nats.errors
import structlog
from nats.js.errors import KeyNotFoundError, KeyWrongLastSequenceError
from nats.js.kv import KeyValue

from pq_domain import Symbol
from pq_domain.subject_tokens import symbol_tokens
from pq_runtime.codec import CodecError, decode, encode
from pq_runtime.messaging.kv import live_entries, open_or_create, watchlist_config

from ..api.problems import dependency_unavailable
from .nats_link import NatsLink

log = structlog.get_logger("pq_gateway.watchlist")


@dataclass(frozen=True, slots=True)
class WatchlistEntry:
    symbol: Symbol
    added_at: int  # epoch ms
    owner: str | None = None  # the key id that added it

    def to_payload(self) -> dict[str, Any]:
        return {"symbol": str(self.symbol), "added_at": self.added_at, "owner": self.owner}

    @classmethod
    def from_payload(cls, payload: dict[str, Any]) -> WatchlistEntry:
        owner = payload.get("owner")
        return cls(
            Symbol.parse(payload["symbol"]),
            int(payload["added_at"]),
            owner if isinstance(owner, str) else None,
        )


def watchlist_key(symbol: Symbol) -> str:
    return symbol_tokens(symbol)


class KvWatchlist:
    def __init__(self, link: NatsLink, *, replicas: int, timeout_s: float) -> None:
        self._link = link
        self._replicas = replicas
        self._timeout_s = timeout_s
        self._kv: KeyValue | None = None

    async def add(self, symbol: Symbol, owner: str | None = None) -> tuple[WatchlistEntry, bool]:
        """The entry, and True when this call added it (False: it was already there)."""
        kv = await self._bucket()
        entry = WatchlistEntry(symbol, int(time.time() * 1000), owner)
        try:
            # `~` and `!` are valid subject characters but outside nats-py's key pattern.
            await kv.create(watchlist_key(symbol), encode(entry.to_payload()), validate_keys=False)
            return entry, True
        except KeyWrongLastSequenceError:
            existing = await self.get(symbol)
            return (existing or entry), False
        except nats.errors.Error as exc:
            raise _unavailable(exc) from exc

    async def get(self, symbol: Symbol) -> WatchlistEntry | None:
        kv = await self._bucket()
        try:
            stored = await kv.get(watchlist_key(symbol), validate_keys=False)
        except KeyNotFoundError:
            return None
        except nats.errors.Error as exc:
            raise _unavailable(exc) from exc
        return _decode(stored.value)

    async def remove(self, symbol: Symbol) -> bool:
        """True when the symbol was on the watchlist (a delete marker tells the shards)."""
        if await self.get(symbol) is None:
            return False
        kv = await self._bucket()
        try:
            await kv.delete(watchlist_key(symbol), validate_keys=False)
        except nats.errors.Error as exc:
            raise _unavailable(exc) from exc
        return True

    async def owned_by(self, owner: str) -> int:
        return sum(1 for e in await self.all() if e.owner == owner)

    async def all(self) -> list[WatchlistEntry]:
        kv = await self._bucket()
        try:
            stored = await live_entries(kv, self._timeout_s)
        except (nats.errors.Error, TimeoutError) as exc:
            raise _unavailable(exc) from exc
        entries = [e for e in (_decode(s.value) for s in stored) if e is not None]
        return sorted(entries, key=lambda e: str(e.symbol))

    async def _bucket(self) -> KeyValue:
        if self._kv is None:
            js = self._link.jetstream()
            try:
                self._kv = await open_or_create(js, watchlist_config(self._replicas))
            except (nats.errors.Error, TimeoutError) as exc:
                raise _unavailable(exc) from exc
        return self._kv


def _decode(value: bytes | None) -> WatchlistEntry | None:
    try:
        return WatchlistEntry.from_payload(decode(value or b""))
    except (CodecError, KeyError, TypeError, ValueError):
        log.warning("skipping a malformed watchlist entry", value=value)
        return None


def _unavailable(exc: BaseException) -> Exception:
    log.warning("watchlist bucket unavailable", error=repr(exc))
    return dependency_unavailable("NATS", "the watchlist store is unreachable; retry shortly")
