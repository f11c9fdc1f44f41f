"""Bar intervals. Bucket starts for calendar intervals live in `bucketing.py`."""

from __future__ import annotations

from enum import StrEnum


class InvalidInterval(ValueError):
    """Not one of the supported intervals."""


class Interval(StrEnum):
    M1 = "1m"
    M5 = "5m"
    M15 = "15m"
    H1 = "1h"
    H4 = "4h"
    D1 = "1d"
    W1 = "1w"
    MN1 = "1M"

    @classmethod
    def parse(cls, text: str) -> Interval:
        try:
            return cls(text)
        except ValueError:
            allowed = ", ".join(i.value for i in cls)
            raise InvalidInterval(f"interval {text!r} is not one of {allowed}") from None

    @property
    def is_intraday(self) -> bool:
        return self in _INTRADAY_MS

    @property
    def millis(self) -> int:
        """Length in ms for intraday intervals (calendar intervals vary: see bucketing)."""
        try:
            return _INTRADAY_MS[self]
        except KeyError:
            raise ValueError(f"{self.value} has no fixed length") from None

    def __str__(self) -> str:
        return self.value


_INTRADAY_MS: dict[Interval, int] = {
    Interval.M1: 60_000,
    Interval.M5: 300_000,
    Interval.M15: 900_000,
    Interval.H1: 3_600_000,
    Interval.H4: 14_400_000,
}

ALL_INTERVALS: tuple[Interval, ...] = tuple(Interval)
