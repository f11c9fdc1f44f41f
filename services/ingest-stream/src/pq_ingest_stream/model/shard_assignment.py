"""Which shard owns a symbol: static modulo sharding or rendezvous hashing over live members.

Both use blake2b, never Python's `hash()` (salted per process), so every instance, on every
machine and after every restart, computes the same owner for the same inputs.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from hashlib import blake2b
from typing import Protocol

from pq_domain import Symbol


def stable_hash(text: str) -> int:
    return int.from_bytes(blake2b(text.encode("utf-8"), digest_size=8).digest(), "big")


class Assignment(Protocol):
    def owns(self, symbol: Symbol) -> bool: ...


@dataclass(frozen=True, slots=True)
class StaticShards:
    """Shard `index` of `count`: owns hash(symbol) % count == index (Kubernetes StatefulSet)."""

    index: int
    count: int

    def owns(self, symbol: Symbol) -> bool:
        return stable_hash(str(symbol)) % self.count == self.index


def rendezvous_owner(symbol: Symbol, members: Iterable[str]) -> str | None:
    """The member with the highest weight for this symbol (None without members).

    Highest-random-weight hashing: when a member leaves, only its symbols move (each to the
    member with the next-highest weight); when one joins, it takes ~1/n of the symbols.
    """
    key = str(symbol)
    return max(members, key=lambda m: (stable_hash(f"{m}\n{key}"), m), default=None)


@dataclass(frozen=True, slots=True)
class RendezvousShards:
    """This instance (`me`) among the live `members` (itself always counts as live)."""

    me: str
    members: frozenset[str]

    def owns(self, symbol: Symbol) -> bool:
        return rendezvous_owner(symbol, self.members | {self.me}) == self.me
