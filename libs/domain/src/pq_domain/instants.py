"""Instants as the contracts write them: epoch ms UTC in events, RFC 3339 UTC in REST.

One parser and one formatter for every door (gateway, query, CLI), integer-exact:
`float(seconds) * 1000` comes out 1 ms low for some instants (`…14.136Z` -> …135).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

# Inclusive bounds that every consumer can represent (years 1970..9999).
MIN_EPOCH_MS = 0
MAX_EPOCH_MS = 253_402_300_799_999  # 9999-12-31T23:59:59.999Z
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MAX_TEXT = 40


class InvalidInstant(ValueError):
    """Neither RFC 3339 with an offset nor epoch milliseconds in range."""


def integral(value: object) -> object:
    """A float without a fractional part as the int it is (JSON Schema's `integer` includes
    1.0); any other value as it is, for the caller's own rule to accept or refuse."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def parse_instant(value: object) -> int:
    """RFC 3339 (`2024-05-01T13:30:00Z`, `…+02:00`), or epoch ms as an int or digits -> epoch ms."""
    if isinstance(value, bool):  # bool is an int subclass; `true` is not a time
        raise InvalidInstant("expected RFC 3339 text or epoch milliseconds, got a boolean")
    value = integral(value)
    if isinstance(value, int):
        return _in_range(value)
    if not isinstance(value, str):
        raise InvalidInstant(
            f"expected RFC 3339 text or epoch milliseconds, got {type(value).__name__}"
        )
    text = value.strip()
    if text.isascii() and text.isdigit():
        return _in_range(int(text))
    if not text or len(text) > _MAX_TEXT:
        raise InvalidInstant("expected an RFC 3339 date-time or epoch milliseconds")
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise InvalidInstant(f"{text!r} is not an RFC 3339 date-time or epoch ms") from None
    if moment.tzinfo is None:
        raise InvalidInstant(f"{text!r} has no UTC offset (add Z or +00:00)")
    delta = moment - _EPOCH
    return _in_range(delta.days * 86_400_000 + delta.seconds * 1000 + delta.microseconds // 1000)


def format_instant(epoch_ms: int) -> str:
    """`2024-01-02T15:00:00Z`, with `.123` only when there are milliseconds."""
    seconds, millis = divmod(epoch_ms, 1000)
    text = (_EPOCH + timedelta(seconds=seconds)).strftime("%Y-%m-%dT%H:%M:%S")
    return f"{text}.{millis:03d}Z" if millis else f"{text}Z"


def utc_datetime(epoch_ms: int) -> datetime:
    """An aware UTC datetime, exact to the millisecond."""
    return _EPOCH + timedelta(milliseconds=epoch_ms)


def _in_range(epoch_ms: int) -> int:
    if not MIN_EPOCH_MS <= epoch_ms <= MAX_EPOCH_MS:
        raise InvalidInstant(f"epoch ms must be between {MIN_EPOCH_MS} and {MAX_EPOCH_MS}")
    return epoch_ms
