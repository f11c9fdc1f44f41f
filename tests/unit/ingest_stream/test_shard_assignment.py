from __future__ import annotations

from hashlib import blake2b

from pq_domain import Symbol
from pq_domain.shard_status import ShardStatus
from pq_ingest_stream.model.shard_assignment import (
    RendezvousShards,
    StaticShards,
    rendezvous_owner,
    stable_hash,
)
from pq_ingest_stream.model.shard_status import live_members

SYMBOLS = [Symbol("NASDAQ", f"S{i:03d}") for i in range(300)]


def test_the_hash_is_stable_across_processes() -> None:
    # A fixed value: Python's salted hash() would differ per process and split the watchlist
    # differently on every shard.
    assert stable_hash("NASDAQ:AAPL") == int.from_bytes(
        blake2b(b"NASDAQ:AAPL", digest_size=8).digest(), "big"
    )


def test_static_shards_partition_the_symbols() -> None:
    shards = [StaticShards(i, 3) for i in range(3)]
    for symbol in SYMBOLS:
        assert sum(s.owns(symbol) for s in shards) == 1
    assert all(sum(s.owns(x) for x in SYMBOLS) > 50 for s in shards)  # roughly even


def test_rendezvous_gives_each_symbol_exactly_one_member() -> None:
    members = frozenset({"a", "b", "c"})
    views = [RendezvousShards(m, members) for m in members]
    for symbol in SYMBOLS:
        assert sum(v.owns(symbol) for v in views) == 1


def test_when_a_member_leaves_only_its_symbols_move() -> None:
    before = {s: rendezvous_owner(s, ["a", "b", "c"]) for s in SYMBOLS}
    after = {s: rendezvous_owner(s, ["a", "b"]) for s in SYMBOLS}
    moved = {s for s in SYMBOLS if before[s] != after[s]}
    assert moved == {s for s in SYMBOLS if before[s] == "c"}


def test_a_member_alone_owns_everything() -> None:
    assert all(RendezvousShards("a", frozenset()).owns(s) for s in SYMBOLS)


def test_live_members_are_those_within_the_ttl() -> None:
    def status(shard: str, updated_at: int) -> ShardStatus:
        return ShardStatus(shard, True, (), None, 0, updated_at)

    statuses = [status("fresh", 9_000), status("edge", 7_000), status("dead", 6_999)]
    assert live_members(statuses, now_ms=10_000, ttl_s=3.0) == {"fresh", "edge"}
