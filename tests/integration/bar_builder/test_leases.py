"""Leases on the real NATS KV bucket, and two instances sharing the partitions through them:
each partition run by exactly one; kill one, the other takes its partitions over, and the
output is still complete and not doubled."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from nats.aio.client import Client

from pq_bar_builder.adapters.nats_lease_bucket import NatsLeaseBucket
from pq_bar_builder.ports import LeaseTaken
from pq_domain import AggregatorConfig
from pq_launcher.servers import NatsServer
from tests.support.waiting import wait_for

from .bars_reader import completed_bars, completed_messages
from .conftest import TEST_BARS
from .quotes import expected_bars, publish_quotes, quote_stream, symbols
from .service_process import BarBuilderProcess
from .test_crash_restart import service_env


async def test_the_kv_bucket_gives_compare_and_set_leases_that_expire(nc: Client) -> None:
    bucket = await NatsLeaseBucket.open(nc.jetstream(), ttl_s=1.0, name="PQ_TEST_LEASES")
    first = await bucket.create("partition.0", b"a")
    with pytest.raises(LeaseTaken):
        await bucket.create("partition.0", b"b")
    renewed = await bucket.update("partition.0", b"a", first)
    with pytest.raises(LeaseTaken):
        await bucket.update("partition.0", b"b", first)  # stale revision
    assert await bucket.get("partition.0") == (b"a", renewed)
    await bucket.put("instance.a", b"a")
    assert await bucket.keys("instance.") == ["instance.a"]

    async def expired() -> bool:
        return await bucket.get("partition.0") is None

    await wait_for(expired, timeout=5, what="the unrenewed lease to expire")
    assert await bucket.create("partition.0", b"b") > renewed  # a newer fence
    await bucket.delete("partition.0", 0)
    assert await bucket.get("partition.0") is None
    assert await bucket.create("partition.0", b"c")  # free again after a release


@pytest.mark.slow
async def test_two_instances_share_and_take_over(
    nc: Client, own_nats_server: NatsServer, tmp_path: Path
) -> None:
    leases = {"PQ_LEASE_TTL_S": "3", "PQ_LEASE_RENEW_S": "1"}
    env_a = service_env(own_nats_server, tmp_path, PQ_INSTANCE_ID="bb-a", **leases)
    env_b = service_env(own_nats_server, tmp_path, PQ_INSTANCE_ID="bb-b", **leases)
    a = BarBuilderProcess(env_a, tmp_path / "a.log")
    b = BarBuilderProcess(env_b, tmp_path / "b.log")
    await asyncio.gather(a.start(), b.start())

    async def split() -> bool:
        pa, pb = (await a.health())["partitions"], (await b.health())["partitions"]
        return len(pa) == len(pb) == 2 and sorted(pa + pb) == [0, 1, 2, 3]

    await wait_for(split, timeout=20, what="the partitions split 2 + 2")
    quotes = quote_stream(symbols(16), 900, seed=5)
    expected = expected_bars(quotes, AggregatorConfig(**TEST_BARS))
    js = nc.jetstream()
    try:
        await publish_quotes(js, quotes)

        async def both_working() -> bool:
            return all([await p.metric("pq_bar_builder_quotes_total") > 500 for p in (a, b)])

        await wait_for(both_working, timeout=30, what="both instances applying quotes")
        a.kill()

        async def taken_over() -> bool:
            partitions: list[int] = (await b.health())["partitions"]
            return partitions == [0, 1, 2, 3]

        await wait_for(taken_over, timeout=20, what="b to take a's partitions over")

        async def all_bars() -> bool:
            return len(await completed_bars(js)) >= len(expected)

        await wait_for(all_bars, timeout=60, what="every expected BarCompleted")
    finally:
        await b.stop()
    got = await completed_messages(js)
    assert dict(got) == expected
    assert len(got) == len(expected)
