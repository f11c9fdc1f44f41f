"""Instants at the REST edge: RFC 3339 text or epoch milliseconds in, epoch ms out; and
epoch ms shown as RFC 3339 (the SSE stream's `data:`).

Events carry epoch ms; REST shows RFC 3339 UTC (ARCHITECTURE.md, Contract: REST).
"""

from __future__ import annotations

import time
from datetime import datetime

# Inclusive bounds that every consumer can represent (years 1970..9999).
MIN_EPOCH_MS = 0
MAX_EPOCH_MS = 253_402_300_799_999


class InvalidInstant(ValueError):
    """Neither RFC 3339 with an offset nor epoch milliseconds in range."""


def integral(value: object) -> object:
    """A float without a fractional part as the int it is (JSON Schema's `integer` includes
    1.0); any other value as it is, for the caller's own rule to accept or refuse."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def parse_instant(value: object) -> int:
    """RFC 3339 (`2024-05-01T13:30:00Z`), or epoch ms as an integer or a string of digits."""
    if isinstance(value, bool):  # bool is an int subclass; `true` is not a time
        raise InvalidInstant("expected RFC 3339 text or epoch milliseconds, got a boolean")
    value = integral(value)
    if isinstance(value, int):
        return _in_range(value)
    if isinstance(value, str):
        text = value.strip()
        if text.isdigit():
            return _in_range(int(text))
        return _in_range(_from_rfc3339(text))
    raise InvalidInstant(
        f"expected RFC 3339 text or epoch milliseconds, got {type(value).__name__}"
    )


def _from_rfc3339(text: str) -> int:
    if len(text) > 40:
        raise InvalidInstant("not an RFC 3339 date-time")
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise InvalidInstant(f"{text!r} is not an RFC 3339 date-time or epoch ms") from None
    if moment.tzinfo is None:
        raise InvalidInstant(f"{text!r} has no UTC offset (add Z or +00:00)")
    return int(moment.timestamp() * 1000)


def _in_range(epoch_ms: int) -> int:
    if not MIN_EPOCH_MS <= epoch_ms <= MAX_EPOCH_MS:
        raise InvalidInstant(f"epoch ms must be between {MIN_EPOCH_MS} and {MAX_EPOCH_MS}")
    return epoch_ms


def rfc3339(epoch_ms: int) -> str:
    """`2024-01-02T15:00:00Z`, `.123` only when there are milliseconds: the very text of
    the query service's REST bodies (pq_query.model.times.rfc3339), which the gateway
    forwards, so a bar's `t` reads the same in GET /v1/bars and on the SSE stream."""
    seconds, millis = divmod(epoch_ms, 1000)
    text = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(seconds))
    return f"{text}.{millis:03d}Z" if millis else f"{text}Z"
