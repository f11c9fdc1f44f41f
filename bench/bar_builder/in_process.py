"""The raw JetStream baseline and the whole service in this process, on one backlog."""

from __future__ import annotations

import time
from pathlib import Path

from nats.aio.client import Client
from nats.aio.msg import Msg
from nats.js.api import AckPolicy, ConsumerConfig

from pq_bar_builder.adapters.partitioned_stream import PARTITIONED_STREAM
from pq_bar_builder.bootstrap import running_service
from pq_bar_builder.settings import BarBuilderSettings

from .workload import BARS, until


async def sourced(nc: Client, count: int) -> None:
    """Wait until the partitioned stream holds `count` messages."""

    async def probe() -> bool:
        return (await nc.jetstream().stream_info(PARTITIONED_STREAM)).state.messages >= count

    await until(probe)


async def raw_consume(nc: Client, count: int) -> float:
    """msgs/s of one pull consumer, fetch(500) + ack per message: issue 6's baseline."""
    js = nc.jetstream()
    config = ConsumerConfig(durable_name="bench-raw", ack_policy=AckPolicy.EXPLICIT)
    sub = await js.pull_subscribe(
        "pq.qp.>", durable="bench-raw", stream=PARTITIONED_STREAM, config=config
    )
    got, started = 0, time.perf_counter()
    while got < count:
        msgs: list[Msg] = await sub.fetch(500, timeout=5)
        for m in msgs:
            await m.ack()
        got += len(msgs)
    rate = got / (time.perf_counter() - started)
    await sub.unsubscribe()
    await js.delete_consumer(PARTITIONED_STREAM, "bench-raw")
    return rate


def settings(url: str, folder: Path, **kw: object) -> BarBuilderSettings:
    values: dict[str, object] = {"nats_url": url, "data_dir": folder, "http_port": 0}
    values.update(partitions=tuple(range(8)), log_level="WARNING", **BARS)
    values.update(kw)
    return BarBuilderSettings(**values)  # type: ignore[arg-type]


async def in_process(url: str, folder: Path, count: int) -> float:
    """quotes/s of one in-process service from a backlog, until its outbox is drained."""
    async with running_service(settings(url, folder)) as svc:
        started = time.perf_counter()

        async def drained() -> bool:
            applied = svc.registry.get_sample_value("pq_bar_builder_quotes_total") or 0
            return applied >= count and not (await svc.store.outbox.stats()).pending

        await until(drained)
        return count / (time.perf_counter() - started)
