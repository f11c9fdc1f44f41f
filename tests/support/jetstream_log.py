"""A stream's stored messages read back in stream order, as an outside auditor would.

`read_stream` uses an ordered consumer (ephemeral, flow-controlled, restarted by the
client on a gap) from the first message up to the stream's last sequence at the call.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from typing import Any

import nats.errors
from nats.aio.client import Client
from nats.js.api import DeliverPolicy


@dataclass(frozen=True)
class StoredMessage:
    seq: int
    subject: str
    headers: dict[str, str]
    payload: dict[str, Any]


async def read_stream(
    nc: Client, stream: str, subject: str, *, within: float = 120.0
) -> list[StoredMessage]:
    """Every message of `stream` on `subject` (wildcards allowed), ascending sequence."""
    js = nc.jetstream()
    last = (await js.stream_info(stream)).state.last_seq
    if last == 0:
        return []
    sub = await js.subscribe(
        subject, stream=stream, ordered_consumer=True, deliver_policy=DeliverPolicy.ALL
    )
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    found: list[StoredMessage] = []
    try:
        while True:
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise AssertionError(
                    f"read {len(found)} messages of {stream} {subject} in {within}s "
                    f"without reaching sequence {last}"
                )
            try:
                msg = await sub.next_msg(timeout=min(remaining, 2.0))
            except nats.errors.TimeoutError:
                # Nothing more on this subject: done once the consumer has passed `last`.
                info = await sub.consumer_info()
                if info.delivered is not None and (info.delivered.stream_seq or 0) >= last:
                    return found
                if info.num_pending == 0:
                    return found
                continue
            meta = msg.metadata
            seq = meta.sequence.stream
            if seq > last:
                return found
            headers = dict(msg.headers or {})
            found.append(StoredMessage(seq, msg.subject, headers, json.loads(msg.data)))
            if seq == last or meta.num_pending == 0:
                return found
    finally:
        await sub.unsubscribe()
