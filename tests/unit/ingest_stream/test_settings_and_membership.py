from __future__ import annotations

import pytest
from pydantic import ValidationError

from pq_domain import Interval
from pq_domain.shard_status import ShardStatus
from pq_ingest_stream.handlers.shard_membership import ShardMembership
from pq_ingest_stream.model.shard_assignment import RendezvousShards, StaticShards
from pq_ingest_stream.settings import IngestStreamSettings


def test_static_sharding_needs_both_index_and_count() -> None:
    with pytest.raises(ValidationError):
        IngestStreamSettings(shard_index=0)
    with pytest.raises(ValidationError):
        IngestStreamSettings(shard_index=2, shard_count=2)
    settings = IngestStreamSettings(shard_index=1, shard_count=2)
    assert settings.static_sharding
    assert settings.resolved_shard_id() == "shard-1"


def test_the_ttl_must_outlast_two_heartbeats() -> None:
    with pytest.raises(ValidationError):
        IngestStreamSettings(heartbeat_s=2.0, member_ttl_s=3.0)


def test_backfill_intervals_parse() -> None:
    settings = IngestStreamSettings(backfill_intervals="1m, 1h,1d")
    assert settings.intervals() == (Interval.M1, Interval.H1, Interval.D1)
    with pytest.raises(ValidationError):
        IngestStreamSettings(backfill_intervals="1m,2m")


def test_dynamic_membership_follows_fresh_heartbeats() -> None:
    now = [10_000]
    membership = ShardMembership("me", static=None, ttl_s=2.0, now_ms=lambda: now[0])
    assert membership.update([ShardStatus("peer", True, (), None, 0, 9_500)])
    assert membership.assignment() == RendezvousShards("me", frozenset({"me", "peer"}))
    now[0] = 12_000
    assert membership.update([ShardStatus("peer", True, (), None, 0, 9_500)])  # aged out
    assert membership.members == {"me"}


def test_static_membership_ignores_heartbeats() -> None:
    membership = ShardMembership("shard-0", static=StaticShards(0, 2), ttl_s=2.0)
    assert not membership.update([ShardStatus("x", True, (), None, 0, 0)])
    assert membership.assignment() == StaticShards(0, 2)
