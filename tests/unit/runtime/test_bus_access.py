"""The contract "who may use the bus", checked on the permissions derived from the table."""

from __future__ import annotations

import pytest

from pq_runtime.bus_access import (
    ALL_BUCKETS,
    SERVICE_ROLES,
    Permissions,
    consumer_role,
    role_permissions,
    service_role,
)
from pq_runtime.messaging import kv


def matches(pattern: str, subject: str) -> bool:
    """NATS subject matching: `*` one token, `>` one or more trailing tokens."""
    want, have = pattern.split("."), subject.split(".")
    for i, token in enumerate(want):
        if token == ">":
            return len(have) > i
        if i >= len(have) or (token != "*" and token != have[i]):
            return False
    return len(want) == len(have)


def may_publish(p: Permissions, subject: str) -> bool:
    allowed = any(matches(a, subject) for a in p.publish_allow)
    return allowed and not any(matches(d, subject) for d in p.publish_deny)


def may_subscribe(p: Permissions, subject: str) -> bool:
    allowed = any(matches(a, subject) for a in p.subscribe_allow)
    return allowed and not any(matches(d, subject) for d in p.subscribe_deny)


def publishers(subject: str) -> set[str]:
    return {r.name for r in SERVICE_ROLES if may_publish(role_permissions(r), subject)}


CONSUMER = role_permissions(consumer_role("analytics"), inbox="_INBOX.>")


def test_only_ingest_stream_publishes_quotes() -> None:
    assert publishers("pq.quotes.NASDAQ.AAPL") == {"ingest-stream"}


def test_only_bar_builder_and_ingest_history_publish_into_pq_bars() -> None:
    assert publishers("pq.bars.completed.NASDAQ.AAPL.1m") == {"bar-builder"}
    assert publishers("pq.bars.synced.NASDAQ.AAPL.1h") == {"ingest-history"}
    assert publishers("pq.bars.meta.NASDAQ.AAPL") == {"ingest-history"}


@pytest.mark.parametrize("bucket", ["PQ_API_KEYS", "PQ_WEBHOOKS"])
def test_only_the_gateway_reads_or_writes_the_key_and_webhook_buckets(bucket: str) -> None:
    for verb in ("STREAM.INFO", "DIRECT.GET", "CONSUMER.CREATE"):
        assert publishers(f"$JS.API.{verb}.KV_{bucket}") == {"gateway"}
    assert publishers(f"$KV.{bucket}.some-key") == {"gateway"}
    assert not may_publish(CONSUMER, f"$JS.API.STREAM.INFO.KV_{bucket}")


def test_a_consumer_publishes_into_no_stream_and_reads_no_bucket() -> None:
    for subject in ("pq.quotes.X.Y", "pq.bars.completed.X.Y.1m", "pq.cmd.sync", "pq.jobs.sync"):
        assert not may_publish(CONSUMER, subject)
    for bucket in ALL_BUCKETS:
        assert not may_publish(CONSUMER, f"$JS.API.CONSUMER.CREATE.KV_{bucket}")
        assert not may_publish(CONSUMER, f"$KV.{bucket}.k")
        assert not may_subscribe(CONSUMER, f"$KV.{bucket}.k")


def test_a_consumer_reads_bars_quotes_and_live_with_its_own_durables() -> None:
    for stream in ("PQ_BARS", "PQ_QUOTES"):
        assert may_publish(CONSUMER, f"$JS.API.CONSUMER.DURABLE.CREATE.{stream}.mine")
        assert may_publish(CONSUMER, f"$JS.API.CONSUMER.CREATE.{stream}.mine.pq.>")
        assert may_publish(CONSUMER, f"$JS.API.CONSUMER.MSG.NEXT.{stream}.mine")
        assert may_publish(CONSUMER, f"$JS.ACK.{stream}.mine.1.2.3.4.5")
    assert may_subscribe(CONSUMER, "pq.live.bars.NASDAQ.AAPL.1m")
    assert not may_publish(CONSUMER, "$JS.API.CONSUMER.CREATE.PQ_CMD.mine")


def test_a_consumer_deletes_nothing_and_leaves_our_durables_alone() -> None:
    for subject in (
        "$JS.API.STREAM.DELETE.PQ_BARS",
        "$JS.API.STREAM.PURGE.PQ_QUOTES",
        "$JS.API.CONSUMER.DELETE.PQ_BARS.mine",
        "$JS.API.CONSUMER.MSG.NEXT.PQ_BARS.query-bars",
        "$JS.API.CONSUMER.CREATE.PQ_BARS.query-bars.pq.>",
        "$JS.API.CONSUMER.DURABLE.CREATE.PQ_QUOTES.query-quotes",
        "$JS.ACK.PQ_BARS.gateway-webhooks-bars.1.2.3.4.5",
        # an unnamed create could carry `name: query-bars` and reconfigure our durable
        "$JS.API.CONSUMER.CREATE.PQ_BARS",
    ):
        assert not may_publish(CONSUMER, subject), subject


def test_no_service_may_delete_a_stream() -> None:
    assert not publishers("$JS.API.STREAM.DELETE.PQ_BARS")
    assert not publishers("$JS.API.STREAM.PURGE.PQ_BARS")


def test_services_reply_on_private_inboxes() -> None:
    gateway = role_permissions(service_role("gateway"))
    assert may_subscribe(gateway, "_INBOX_gateway.abc")
    assert not may_subscribe(gateway, "_INBOX.abc")
    assert not may_subscribe(CONSUMER, "_INBOX_gateway.abc")  # no snooping on replies


def test_every_bucket_has_one_config_in_the_runtime() -> None:
    configs = [
        kv.api_keys_config(1), kv.webhooks_config(1), kv.watchlist_config(1),
        kv.schedules_config(1), kv.stream_status_config(ttl_s=10, replicas=1),
        kv.stream_cursors_config(ttl_s=10, replicas=1), kv.leases_config(ttl_s=10, replicas=1),
    ]  # fmt: skip
    assert sorted(c.bucket for c in configs if c.bucket) == sorted(ALL_BUCKETS)
