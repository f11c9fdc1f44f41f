"""Instants at the REST edge: RFC 3339 text or epoch milliseconds in, epoch ms out.

Events carry epoch ms; REST shows RFC 3339 UTC (ARCHITECTURE.md, Contract: REST).
"""

from __future__ import annotations

from datetime import datetime

# Inclusive bounds that every consumer can represent (years 1970..9999).
MIN_EPOCH_MS = 0
MAX_EPOCH_MS = 253_402_300_799_999


class InvalidInstant(ValueError):
    """Neither RFC 3339 with an offset nor epoch milliseconds in range."""


def parse_instant(value: object) -> int:
    """RFC 3339 (`2024-05-01T13:30:00Z`), or epoch ms as an integer or a string of digits."""
    if isinstance(value, bool):  # bool is an int subclass; `true` is not a time
        raise InvalidInstant("expected RFC 3339 text or epoch milliseconds, got a boolean")
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
