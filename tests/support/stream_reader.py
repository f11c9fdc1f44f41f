"""Read what a stream holds, message by message by direct get (tests only)."""

from __future__ import annotations

import asyncio

from nats.js import JetStreamContext
from nats.js.api import RawStreamMsg
from nats.js.errors import NotFoundError


async def read_stream(
    js: JetStreamContext, stream: str, subject_prefix: str = ""
) -> list[RawStreamMsg]:
    info = await js.stream_info(stream)
    first, last = info.state.first_seq, info.state.last_seq
    if info.state.messages == 0:
        return []

    async def one(seq: int) -> RawStreamMsg | None:
        try:
            return await js.get_msg(stream, seq, direct=True)
        except NotFoundError:
            return None

    found = await asyncio.gather(*(one(s) for s in range(first, last + 1)))
    return [m for m in found if m is not None and (m.subject or "").startswith(subject_prefix)]


def msg_ids(msgs: list[RawStreamMsg]) -> list[str]:
    return [(m.headers or {}).get("Nats-Msg-Id", "") for m in msgs]
