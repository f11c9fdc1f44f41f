"""Dead letters: a failed message goes to `pq.dlq.<stream>` with the error in headers."""

from __future__ import annotations

from nats.aio.msg import Msg
from nats.js import JetStreamContext
from nats.js.api import PubAck

from pq_domain.subjects import dlq_subject

from ..envelope import MSG_ID

ERROR = "Pq-Error"
ORIGINAL_SUBJECT = "Pq-Original-Subject"
ORIGINAL_STREAM = "Pq-Original-Stream"
ORIGINAL_SEQ = "Pq-Original-Seq"
ORIGINAL_MSG_ID = "Pq-Original-Msg-Id"
CONSUMER = "Pq-Consumer"
DELIVERED = "Pq-Delivered"


def _header_value(text: str, limit: int = 1024) -> str:
    flat = " ".join(text.split())
    return flat[:limit]


async def dead_letter(
    js: JetStreamContext, msg: Msg, *, stream: str, consumer: str, error: str
) -> PubAck:
    """Publish `msg` (payload and headers kept) to the stream's dead-letter subject and
    wait for the ack; the caller then acks the original so it never blocks the stream."""
    meta = msg.metadata
    headers = dict(msg.headers or {})
    original_id = headers.pop(MSG_ID, "")
    headers.update(
        {
            # Deduplicated if the same delivery is dead-lettered twice (crash before the ack).
            MSG_ID: f"dlq:{stream}:{consumer}:{meta.sequence.stream}",
            ERROR: _header_value(error) or "unknown error",
            ORIGINAL_SUBJECT: msg.subject,
            ORIGINAL_STREAM: stream,
            ORIGINAL_SEQ: str(meta.sequence.stream),
            CONSUMER: consumer,
            DELIVERED: str(meta.num_delivered),
        }
    )
    if original_id:
        headers[ORIGINAL_MSG_ID] = original_id
    return await js.publish(dlq_subject(stream), msg.data, headers=headers)
