"""Poison quotes -> `pq.dlq.PQ_QUOTES_PARTITIONED`, through the runtime's dead_letter.

A sourced message carries the server's `Nats-Stream-Source` header, which JetStream
refuses on a publish ("stream source header is not allowed"); the runtime helper copies
every header, so the copy handed to it leaves that one out.
"""

from __future__ import annotations

import dataclasses

from nats.aio.msg import Msg
from nats.js import JetStreamContext

from pq_runtime.messaging.dlq import dead_letter

STREAM_SOURCE = "Nats-Stream-Source"


async def dead_letter_quote(
    js: JetStreamContext,
    msg: Msg,
    stream: str,
    consumer: str,
    error: str,
    *,
    max_payload: int | None = None,
) -> None:
    """`max_payload`: the connection's (`nc.max_payload`); None reads it from `js`."""
    headers = {k: v for k, v in (msg.headers or {}).items() if k != STREAM_SOURCE}
    publishable = dataclasses.replace(msg, headers=headers)
    await dead_letter(
        js, publishable, stream=stream, consumer=consumer, error=error, max_payload=max_payload
    )
