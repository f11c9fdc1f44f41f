"""Listing a KV bucket must not leave consumers behind on the server.

Each listing reads through a watcher (an ordered consumer). Left to nats-py they
live 5 minutes after stop(); the webhook fan-out lists once per batch, so they
piled up until the server refused new consumers and webhooks stopped.
"""

from __future__ import annotations

import asyncio

import nats
from nats.js.api import KeyValueConfig

from pq_runtime.messaging.kv import live_entries


async def test_repeated_listings_leave_no_consumer_behind(nats_url: str) -> None:
    nc = await nats.connect(nats_url)
    try:
        js = nc.jetstream()
        kv = await js.create_key_value(KeyValueConfig(bucket="PQ_TEST_LISTING"))
        await kv.put("a", b"1")
        await kv.put("b", b"2")

        for _ in range(50):
            entries = await live_entries(kv, timeout_s=5.0)
            assert sorted(e.key for e in entries) == ["a", "b"]

        info = await js.stream_info("KV_PQ_TEST_LISTING")
        assert info.state.consumer_count == 0
    finally:
        await nc.close()


async def test_a_listing_ends_at_the_last_entry_even_when_it_is_a_delete(nats_url: str) -> None:
    """The listing ends on the server's last entry (deletes included, never returned), and
    an empty bucket lists nothing, each well before the timeout."""
    nc = await nats.connect(nats_url)
    try:
        js = nc.jetstream()
        kv = await js.create_key_value(KeyValueConfig(bucket="PQ_TEST_LISTING_DELETES"))
        loop = asyncio.get_running_loop()
        began = loop.time()
        assert await live_entries(kv, timeout_s=5.0) == []
        await kv.put("a", b"1")
        await kv.put("b", b"2")
        await kv.delete("b")  # the last message of the bucket
        entries = await live_entries(kv, timeout_s=5.0)
        assert [(e.key, e.value) for e in entries] == [("a", b"1")]
        assert loop.time() - began < 4.0, "a listing waited for its timeout"
    finally:
        await nc.close()
