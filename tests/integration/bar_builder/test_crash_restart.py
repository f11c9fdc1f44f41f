"""SIGKILL the bar-builder mid-stream and restart it: the BarCompleted set (by event id and
content, after the stream's Nats-Msg-Id de-duplication) equals a run without the crash."""

from __future__ import annotations

from pathlib import Path

import pytest
from nats.aio.client import Client

from pq_domain import AggregatorConfig
from pq_launcher.servers import NatsServer
from tests.support.waiting import wait_for

from .bars_reader import completed_bars, completed_messages
from .conftest import TEST_BARS
from .quotes import expected_bars, publish_quotes, quote_stream, symbols
from .service_process import BarBuilderProcess

pytestmark = pytest.mark.slow


def service_env(nats: NatsServer, data_dir: Path, **extra: str) -> dict[str, str]:
    return {
        "PQ_NATS_URL": nats.url,
        "PQ_DATA_DIR": str(data_dir),
        "PQ_PARTITION_COUNT": "4",
        "PQ_GRACE_MS": str(TEST_BARS["grace_ms"]),
        "PQ_LATENESS_MS": str(TEST_BARS["lateness_ms"]),
        "PQ_IDLE_TIMEOUT_MS": str(TEST_BARS["idle_timeout_ms"]),
        "PQ_BATCH_SIZE": "200",  # more batches, more places for the kill to land
        **extra,
    }


async def test_sigkill_and_restart_emit_the_same_bars(
    nc: Client, own_nats_server: NatsServer, tmp_path: Path
) -> None:
    quotes = quote_stream(symbols(16), 900, seed=11)  # 14,400 quotes, 15 min per symbol
    expected = expected_bars(quotes, AggregatorConfig(**TEST_BARS))
    js = nc.jetstream()
    env = service_env(own_nats_server, tmp_path, PQ_PARTITIONS="0,1,2,3", PQ_INSTANCE_ID="bb-crash")
    first = BarBuilderProcess(env, tmp_path / "first.log")
    await first.start()
    await publish_quotes(js, quotes)

    async def midway() -> bool:
        return await first.metric("pq_bar_builder_quotes_total") >= len(quotes) // 4

    await wait_for(midway, timeout=30, what="a quarter of the quotes applied")
    first.kill()
    async with BarBuilderProcess(env, tmp_path / "second.log"):

        async def all_bars() -> bool:
            return len(await completed_bars(js)) >= len(expected)

        await wait_for(all_bars, timeout=60, what="every expected BarCompleted")
    got = await completed_messages(js)
    assert dict(got) == expected
    assert len(got) == len(expected)  # the duplicate window dropped every re-emission
