"""Topology as code: streams ensured idempotently, changed settings updated in place."""

from __future__ import annotations

import pytest
from nats.aio.client import Client
from nats.js.api import RetentionPolicy, StorageType, StreamConfig

from pq_domain.subjects import ALL_STREAMS
from pq_runtime.messaging import TopologyError, TopologySettings, ensure_topology


async def test_streams_match_the_contract(nc: Client) -> None:
    js = nc.jetstream()
    for spec in ALL_STREAMS:
        cfg = (await js.stream_info(spec.name)).config
        assert cfg.subjects == list(spec.subjects)
        assert cfg.storage == StorageType.FILE
        assert cfg.duplicate_window >= 120
        assert cfg.num_replicas == 1
        wanted = RetentionPolicy.WORK_QUEUE if spec.work_queue else RetentionPolicy.LIMITS
        assert cfg.retention == wanted


async def test_ensuring_twice_changes_nothing(nc: Client) -> None:
    js = nc.jetstream()
    before = [(await js.stream_info(s.name)).created for s in ALL_STREAMS]
    await ensure_topology(js)
    assert [(await js.stream_info(s.name)).created for s in ALL_STREAMS] == before


async def test_a_changed_setting_updates_the_stream(nc: Client) -> None:
    js = nc.jetstream()
    await js.publish("pq.quotes.X.Y", b"{}")
    await ensure_topology(js, TopologySettings(quotes_max_age_s=3600.0, duplicate_window_s=300))
    info = await js.stream_info("PQ_QUOTES")
    assert info.config.max_age == pytest.approx(3600.0)
    assert info.config.duplicate_window == pytest.approx(300.0)
    assert info.state.messages == 1  # updated in place, not recreated


async def test_an_unchangeable_setting_fails_clearly(nc: Client) -> None:
    js = nc.jetstream()
    await js.delete_stream("PQ_CMD")
    await js.add_stream(StreamConfig(name="PQ_CMD", subjects=["pq.cmd.>"]))
    with pytest.raises(TopologyError, match="PQ_CMD: retention"):
        await ensure_topology(js)
