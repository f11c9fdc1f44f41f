"""Reading BarSynced events off the stack's JetStream as an outside subscriber would."""

from __future__ import annotations

import asyncio
import json
import re
from dataclasses import dataclass
from typing import Any

import nats.errors
from nats.js.client import JetStreamContext

TRACEPARENT = re.compile(r"^00-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}$")


@dataclass(frozen=True)
class ReceivedEvent:
    subject: str
    headers: dict[str, str]
    payload: dict[str, Any]


async def job_events(
    subscription: JetStreamContext.PushSubscription, job_id: str, bars: int, within: float = 30
) -> list[ReceivedEvent]:
    """Events of `job_id` from `subscription` until they hold `bars` bars (others skipped)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    found: list[ReceivedEvent] = []
    while sum(len(event.payload["bars"]) for event in found) < bars:
        remaining = deadline - loop.time()
        if remaining <= 0:
            held = sum(len(event.payload["bars"]) for event in found)
            raise AssertionError(
                f"timed out after {within}s: {len(found)} events of job {job_id} "
                f"holding {held} of {bars} bars"
            )
        try:
            msg = await subscription.next_msg(timeout=min(remaining, 1.0))
        except nats.errors.TimeoutError:
            continue
        payload = json.loads(msg.data)
        if payload.get("job_id") == job_id:
            found.append(ReceivedEvent(msg.subject, dict(msg.headers or {}), payload))
    return found


def event_rows(events: list[ReceivedEvent]) -> list[tuple[int, float, float, float, float, float]]:
    """Every bar the events carry, ascending by t (events may arrive in any chunk order)."""
    rows = [
        (b["t"], b["o"], b["h"], b["l"], b["c"], b["v"])
        for event in events
        for b in event.payload["bars"]
    ]
    return sorted(rows)
