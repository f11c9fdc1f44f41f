"""Read what the bar-builder emitted: BarCompleted in PQ_BARS, dead letters in PQ_DLQ."""

from __future__ import annotations

import uuid
from typing import Any

from nats.errors import TimeoutError as NatsTimeoutError
from nats.js import JetStreamContext
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy

from pq_domain.subjects import BARS_COMPLETED_ALL, STREAM_BARS, STREAM_DLQ
from pq_runtime.codec import decode


async def _read_all(js: JetStreamContext, stream: str, subject: str) -> list[Any]:
    info = await js.stream_info(stream)
    if not info.state.messages:
        return []
    sub = await js.pull_subscribe(
        subject,
        durable=None,
        stream=stream,
        config=ConsumerConfig(
            name=f"reader-{uuid.uuid4().hex[:8]}",
            deliver_policy=DeliverPolicy.ALL,
            ack_policy=AckPolicy.NONE,
            inactive_threshold=5.0,
        ),
    )
    msgs: list[Any] = []
    try:
        while True:
            try:
                batch = await sub.fetch(1000, timeout=0.5)
            except (TimeoutError, NatsTimeoutError):
                break
            msgs.extend(batch)
            if batch[-1].metadata.num_pending == 0:
                break
    finally:
        await sub.unsubscribe()
    return msgs


async def completed_messages(js: JetStreamContext) -> list[tuple[str, dict[str, Any]]]:
    """(Nats-Msg-Id, payload) of every BarCompleted in PQ_BARS, in stream order."""
    msgs = await _read_all(js, STREAM_BARS.name, BARS_COMPLETED_ALL)
    return [((m.headers or {}).get("Nats-Msg-Id", ""), decode(m.data)) for m in msgs]


async def completed_bars(js: JetStreamContext) -> dict[str, dict[str, Any]]:
    return dict(await completed_messages(js))


async def dead_letters(js: JetStreamContext, subject: str) -> list[Any]:
    return await _read_all(js, STREAM_DLQ.name, subject)
