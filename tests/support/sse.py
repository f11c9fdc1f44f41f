"""A small Server-Sent Events reader over an httpx streaming response (WHATWG parsing rules)."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx


@dataclass(frozen=True)
class SseEvent:
    event: str
    id: str | None
    data: str

    def json(self) -> dict[str, Any]:
        payload: dict[str, Any] = json.loads(self.data)
        return payload


def sse_events(response: httpx.Response) -> Iterator[SseEvent | str]:
    """Events as they arrive; comment lines (`: heartbeat`) are yielded as plain strings."""
    event: str = "message"
    event_id: str | None = None
    data: list[str] = []
    for line in response.iter_lines():
        if not line:
            if data:
                yield SseEvent(event, event_id, "\n".join(data))
            event, event_id, data = "message", None, []
        elif line.startswith(":"):
            yield line[1:].strip()
        else:
            name, _, value = line.partition(":")
            value = value.removeprefix(" ")
            if name == "event":
                event = value
            elif name == "id":
                event_id = value
            elif name == "data":
                data.append(value)


def read_until(
    response: httpx.Response,
    done: Callable[[list[SseEvent]], bool],
    within: float,
    what: str,
) -> list[SseEvent]:
    """Collect events until `done(events)` holds; fail after `within` seconds."""
    deadline = time.monotonic() + within
    events: list[SseEvent] = []
    for item in sse_events(response):
        if isinstance(item, SseEvent):
            events.append(item)
            if done(events):
                return events
        if time.monotonic() > deadline:
            break
    kinds = sorted({e.event for e in events})
    raise AssertionError(f"SSE: no {what} within {within}s; got {len(events)} events {kinds}")
