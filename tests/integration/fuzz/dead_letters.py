"""Read what landed on `pq.dlq.<stream>`, keyed by the original stream sequence."""

from __future__ import annotations

from dataclasses import dataclass

from nats.js import JetStreamContext
from nats.js.errors import NotFoundError

from pq_domain.subjects import STREAM_DLQ, dlq_subject
from pq_runtime.messaging.dlq import (
    DELIVERED,
    ERROR,
    ORIGINAL_SEQ,
    ORIGINAL_SIZE,
    ORIGINAL_SUBJECT,
    TRUNCATED,
)


@dataclass(frozen=True, slots=True)
class Letter:
    original_seq: int
    original_subject: str
    error: str
    delivered: int  # 1: dead-lettered at once; more: after retries
    payload: bytes
    truncated: bool = False  # the payload is a prefix of the original (too big to copy)
    original_size: int = 0  # the original payload's size, when truncated


async def dead_letters(js: JetStreamContext, stream: str) -> list[Letter]:
    info = await js.stream_info(STREAM_DLQ.name)
    letters: list[Letter] = []
    subject = dlq_subject(stream)
    if not info.state.messages:  # empty: first_seq may be 0, which get_msg refuses
        return letters
    for seq in range(max(1, info.state.first_seq), info.state.last_seq + 1):
        try:
            raw = await js.get_msg(STREAM_DLQ.name, seq)
        except NotFoundError:
            continue
        if raw.subject != subject:
            continue
        h = raw.headers or {}
        letters.append(
            Letter(
                original_seq=int(h.get(ORIGINAL_SEQ, "0")),
                original_subject=h.get(ORIGINAL_SUBJECT, ""),
                error=h.get(ERROR, ""),
                delivered=int(h.get(DELIVERED, "0")),
                payload=raw.data or b"",
                truncated=h.get(TRUNCATED) == "true",
                original_size=int(h.get(ORIGINAL_SIZE, "0")),
            )
        )
    return letters
