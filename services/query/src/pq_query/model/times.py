"""Instants at the read API: RFC 3339 or epoch ms in, epoch ms inside, RFC 3339 UTC out."""

from __future__ import annotations

import time
from datetime import UTC, datetime

MIN_EPOCH_MS = 0
MAX_EPOCH_MS = 253_402_300_799_999  # 9999-12-31T23:59:59.999Z


class InvalidInstant(ValueError):
    """Neither RFC 3339 with an offset nor epoch milliseconds in range."""


def parse_instant(text: str) -> int:
    """`2024-05-01T13:30:00Z`, `2024-05-01T15:30:00+02:00` or `1714570200000` -> epoch ms."""
    value = text.strip()
    if value.isdigit():
        return _in_range(int(value))
    if not value or len(value) > 40:
        raise InvalidInstant("expected RFC 3339 date-time or epoch milliseconds")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise InvalidInstant(f"{value!r} is not an RFC 3339 date-time or epoch ms") from None
    if moment.tzinfo is None:
        raise InvalidInstant(f"{value!r} has no UTC offset (add Z or +00:00)")
    # Integer arithmetic: float seconds * 1000 can be off by one millisecond.
    delta = moment - datetime(1970, 1, 1, tzinfo=UTC)
    return _in_range(delta.days * 86_400_000 + delta.seconds * 1000 + delta.microseconds // 1000)


def rfc3339(epoch_ms: int) -> str:
    """`2024-01-02T15:00:00Z`, with `.123` milliseconds only when there are some."""
    seconds, millis = divmod(epoch_ms, 1000)
    text = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(seconds))
    return f"{text}.{millis:03d}Z" if millis else f"{text}Z"


def utc_datetime(epoch_ms: int) -> datetime:
    """For msgspec, which encodes an aware UTC datetime as RFC 3339 with `Z` natively."""
    return datetime.fromtimestamp(epoch_ms / 1000, UTC)


def _in_range(epoch_ms: int) -> int:
    if not MIN_EPOCH_MS <= epoch_ms <= MAX_EPOCH_MS:
        raise InvalidInstant(f"epoch ms must be between {MIN_EPOCH_MS} and {MAX_EPOCH_MS}")
    return epoch_ms
