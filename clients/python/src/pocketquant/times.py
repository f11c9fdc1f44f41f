"""Instants as users write them -> epoch milliseconds UTC and RFC 3339 for the wire."""

from __future__ import annotations

from datetime import UTC, date, datetime

TimeLike = str | date | datetime | int | float
"""`"2025-01-01"`, `"2025-01-01T14:30:00Z"`, a date, a datetime (naive means UTC; a
pandas Timestamp is one), or epoch milliseconds."""

INTERVAL_MS = {
    "1m": 60_000,
    "5m": 300_000,
    "15m": 900_000,
    "1h": 3_600_000,
    "4h": 14_400_000,
    "1d": 86_400_000,
    "1w": 7 * 86_400_000,
    "1M": 31 * 86_400_000,  # the longest month: a gap shorter than this is no gap
}


def to_ms(value: TimeLike) -> int:
    """Epoch milliseconds UTC of `value` (see `TimeLike`)."""
    if isinstance(value, bool):
        raise TypeError("a time cannot be a bool")
    if isinstance(value, int | float):
        return int(value)
    if isinstance(value, datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=UTC)
        return int(moment.timestamp() * 1000)
    if isinstance(value, date):
        return to_ms(datetime(value.year, value.month, value.day, tzinfo=UTC))
    if isinstance(value, str):
        try:
            return to_ms(datetime.fromisoformat(value.strip()))
        except ValueError:
            raise ValueError(f"not a date or RFC 3339 time: {value!r}") from None
    raise TypeError(f"not a time: {value!r}")


def rfc3339(ms: int) -> str:
    """`1735741800000` -> `2025-01-01T14:30:00Z` (milliseconds only when there are some)."""
    moment = datetime.fromtimestamp(ms / 1000, UTC)
    text = moment.isoformat(timespec="milliseconds" if ms % 1000 else "seconds")
    return text.replace("+00:00", "Z")


def parse_ms(text: str) -> int:
    """An RFC 3339 time from the wire -> epoch milliseconds."""
    return to_ms(datetime.fromisoformat(text))


def parse_optional(text: object) -> datetime | None:
    """An RFC 3339 time from the wire -> an aware datetime, or None."""
    if not isinstance(text, str) or not text:
        return None
    return datetime.fromisoformat(text)


def now_ms() -> int:
    return int(datetime.now(UTC).timestamp() * 1000)
