"""Dead letters: a failed message goes to `pq.dlq.<stream>` with the error in headers.

A dead letter must fit in the server's `max_payload` (headers + payload), or the server
drops the whole connection (docs/fuzzing.md, F2). One that would not fit carries a
truncated payload instead, marked `Pq-Truncated: true` with `Pq-Original-Size`; the
original stays in its stream at `Pq-Original-Stream` / `Pq-Original-Seq` until that
stream's retention removes it.
"""

from __future__ import annotations

from nats.aio.client import DEFAULT_MAX_PAYLOAD_SIZE
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
TRUNCATED = "Pq-Truncated"
ORIGINAL_SIZE = "Pq-Original-Size"
OURS = (MSG_ID, ERROR, ORIGINAL_SUBJECT, ORIGINAL_STREAM, ORIGINAL_SEQ, ORIGINAL_MSG_ID,
        CONSUMER, DELIVERED, TRUNCATED, ORIGINAL_SIZE)  # fmt: skip
# Headers the server sets or reads as publish directives (Nats-Stream-Source,
# Nats-Expected-Stream...): JetStream refuses or misreads them on the copy.
_SERVER_HEADER_PREFIX = "nats-"
_HEADER_LINE = len("NATS/1.0\r\n")


def _header_value(text: str, limit: int = 1024) -> str:
    flat = " ".join(text.split())
    return flat[:limit]


def headers_size(headers: dict[str, str]) -> int:
    """Bytes of the header block on the wire (`NATS/1.0`, `key: value` lines, blank line);
    the server counts it with the payload against `max_payload`."""
    lines = sum(len(k.encode()) + len(v.encode()) + 4 for k, v in headers.items())
    return _HEADER_LINE + lines + 2


def fit_to_max_payload(
    headers: dict[str, str], data: bytes, max_payload: int
) -> tuple[dict[str, str], bytes]:
    """Headers and payload that fit in `max_payload`: unchanged if they do; otherwise the
    payload cut to what fits, marked truncated, and (if even the copied original headers
    leave no room) only our own headers."""
    if headers_size(headers) + len(data) <= max_payload:
        return headers, data
    marked = {**headers, TRUNCATED: "true", ORIGINAL_SIZE: str(len(data))}
    room = max_payload - headers_size(marked)
    if room < 0:
        marked = {k: v for k, v in marked.items() if k in OURS}
        room = max(0, max_payload - headers_size(marked))
    return marked, data[:room]


def dead_letter_headers(msg: Msg, *, stream: str, consumer: str, error: str) -> dict[str, str]:
    """The original's own headers plus ours: error, where it came from, attempts."""
    meta = msg.metadata
    original = msg.headers or {}
    headers = {k: v for k, v in original.items() if not k.lower().startswith(_SERVER_HEADER_PREFIX)}
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
    if original.get(MSG_ID):
        headers[ORIGINAL_MSG_ID] = original[MSG_ID]
    return headers


async def dead_letter(
    js: JetStreamContext,
    msg: Msg,
    *,
    stream: str,
    consumer: str,
    error: str,
    max_payload: int | None = None,
) -> PubAck:
    """Publish `msg` (payload and headers kept, or truncated to fit) to the stream's
    dead-letter subject and wait for the ack; the caller then acks the original so it
    never blocks the stream. `max_payload`: the connection's (`nc.max_payload`, from the
    server's INFO); by default read from the JetStream context's connection."""
    headers = dead_letter_headers(msg, stream=stream, consumer=consumer, error=error)
    limit = max_payload if max_payload is not None else _max_payload_of(js)
    headers, data = fit_to_max_payload(headers, msg.data or b"", limit)
    return await js.publish(dlq_subject(stream), data, headers=headers)


def _max_payload_of(js: JetStreamContext) -> int:
    # For callers that predate `max_payload` (they pass only the JetStream context).
    nc = getattr(js, "_nc", None)
    limit = getattr(nc, "max_payload", None)
    return limit if isinstance(limit, int) and limit > 0 else DEFAULT_MAX_PAYLOAD_SIZE
