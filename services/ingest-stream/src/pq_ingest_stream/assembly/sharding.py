"""Which symbols this shard owns, and the quote session kept equal to them."""

from __future__ import annotations

from collections.abc import Callable

from pq_tradingview import QuoteStream

from ..adapters.cursor_store import KvCursorStore
from ..handlers.gap_backfiller import GapBackfiller
from ..handlers.ownership_changes import OwnershipChanges
from ..handlers.shard_membership import ShardMembership
from ..handlers.subscription_keeper import SubscriptionKeeper
from ..metrics import StreamMetrics
from ..model.last_quotes import LastQuotes
from ..model.shard_assignment import StaticShards
from ..settings import IngestStreamSettings


def shard_membership(s: IngestStreamSettings, shard: str) -> ShardMembership:
    static = None
    if s.shard_index is not None and s.shard_count is not None:
        static = StaticShards(s.shard_index, s.shard_count)
    return ShardMembership(shard, static=static, ttl_s=s.member_ttl_s)


def subscription_keeper(
    stream: QuoteStream,
    membership: ShardMembership,
    cursors: KvCursorStore,
    backfiller: GapBackfiller,
    last_quotes: LastQuotes,
    metrics: StreamMetrics,
    on_change: Callable[[], None],
) -> SubscriptionKeeper:
    changes = OwnershipChanges(cursors, backfiller, last_quotes)
    return SubscriptionKeeper(stream, membership.assignment, changes, metrics, on_change=on_change)
