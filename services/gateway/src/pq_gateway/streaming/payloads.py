"""SSE `data:` in the time format of the REST bodies, or as the events were published.

The stream forwards event payloads (QuoteReceived, BarUpdated, BarCompleted), whose times
are epoch ms as on NATS. REST bodies show RFC 3339 UTC, and a client parses bars and quotes
from both, so by default (`time_format=rfc3339`) the one time field of each payload, `ts`
of a quote and `t` of a bar, becomes RFC 3339 text exactly as GET /v1/bars and
GET /v1/quotes/{symbol} render it; every other field and the key order stay as published.
`time_format=epoch_ms` passes the payloads on unchanged, as the stream did at first.
"""

from __future__ import annotations

from typing import Literal

from pq_domain.instants import format_instant
from pq_runtime.codec import CodecError, decode, encode

from .frames import BAR_COMPLETED, BAR_PROVISIONAL, QUOTE

TimeFormat = Literal["rfc3339", "epoch_ms"]
TIME_FIELDS = {QUOTE: "ts", BAR_PROVISIONAL: "t", BAR_COMPLETED: "t"}


def with_rfc3339_time(event: str, data: bytes) -> bytes:
    """`data` with its time field as RFC 3339; unchanged when it has no epoch-ms time."""
    field = TIME_FIELDS.get(event)
    if field is None:
        return data
    try:
        payload = decode(data)
    except CodecError:
        return data  # not a JSON object: passed on as published, never dropped
    value = payload.get(field)
    if type(value) is not int:  # also refuses bool, an int subclass
        return data
    payload[field] = format_instant(value)
    return encode(payload)
