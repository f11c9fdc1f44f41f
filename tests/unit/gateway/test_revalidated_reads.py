"""The kept copies: bounded in bytes, least recently used out first, and only answers a
shared cache may keep."""

from __future__ import annotations

from pq_gateway.adapters.revalidated_reads import KeptRead, RevalidatedReads, storable


def read(size: int, etag: str = 'W/"1"') -> KeptRead:
    return KeptRead({"etag": etag}, b"x" * size)


def test_copies_stay_within_their_bytes_least_recently_used_out_first() -> None:
    kept = RevalidatedReads(max_bytes=100)
    kept.keep("a", read(40))
    kept.keep("b", read(40))
    assert kept.get("a") is not None  # "a" is now the most recently used
    kept.keep("c", read(40))
    assert kept.get("b") is None
    assert kept.get("a") is not None
    assert kept.get("c") is not None
    assert kept.size_bytes == 80

    kept.keep("a", read(10, 'W/"2"'))  # a newer copy replaces the old one
    assert kept.get("a") == read(10, 'W/"2"')
    assert kept.size_bytes == 50
    kept.keep("huge", read(101))  # larger than the whole budget: not kept, nothing evicted
    assert kept.get("huge") is None
    assert kept.size_bytes == 50
    kept.drop("c")
    assert kept.size_bytes == 10


def test_only_answers_with_a_tag_that_allow_shared_storing_are_kept() -> None:
    assert storable({"etag": 'W/"7"', "cache-control": "no-cache"})
    assert storable({"etag": 'W/"7"'})
    assert not storable({"cache-control": "no-cache"})
    assert not storable({"etag": '"7"', "cache-control": "no-store"})
    assert not storable({"etag": '"7"', "cache-control": "max-age=5, Private"})
