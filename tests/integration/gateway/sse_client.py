"""A minimal Server-Sent Events reader for tests (fields per the WHATWG spec)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx


@dataclass(frozen=True)
class ReceivedEvent:
    event: str | None  # None for a comment-only block
    data: str
    id: str | None
    comment: str | None


async def sse_events(response: httpx.Response) -> AsyncIterator[ReceivedEvent]:
    event: str | None = None
    data: list[str] = []
    event_id: str | None = None
    comment: str | None = None
    async for line in response.aiter_lines():
        if line == "":
            if event is not None or data or comment is not None:
                yield ReceivedEvent(event, "\n".join(data), event_id, comment)
            event, data, event_id, comment = None, [], None, None
            continue
        name, _, value = line.partition(":")
        value = value.removeprefix(" ")
        if name == "":
            comment = value
        elif name == "event":
            event = value
        elif name == "data":
            data.append(value)
        elif name == "id":
            event_id = value
