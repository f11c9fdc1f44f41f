"""Chart resolutions the simulator serves: minutes from the session open, and 1D / 1W / 1M."""

from __future__ import annotations

from dataclasses import dataclass

from pq_domain import Interval

_CALENDAR = {"1D": Interval.D1, "D": Interval.D1, "1W": Interval.W1, "W": Interval.W1}
_CALENDAR |= {"1M": Interval.MN1, "M": Interval.MN1}
MAX_MINUTES = 1440


class UnsupportedResolution(ValueError):
    """TradingView answers these with `series_error` (e.g. `custom_resolution`)."""


@dataclass(frozen=True, slots=True)
class Resolution:
    minutes: int | None  # intraday: bucket length in minutes
    calendar: Interval | None  # or a session-aligned calendar interval

    @classmethod
    def parse(cls, text: str) -> Resolution:
        """`1 5 15 60 240`, `1H`..`4H` (tvdatafeed's spelling), `1D D 1W W 1M M`."""
        upper = text.strip().upper()
        if upper in _CALENDAR:
            return cls(None, _CALENDAR[upper])
        minutes = _minutes_of(upper)
        if minutes is None or not 0 < minutes <= MAX_MINUTES:
            raise UnsupportedResolution(f"unsupported resolution {text!r}")
        return cls(minutes, None)

    @property
    def key(self) -> str:
        return f"{self.minutes}" if self.calendar is None else self.calendar.value


def _minutes_of(text: str) -> int | None:
    if text.endswith("H") and text[:-1].isdigit():
        return int(text[:-1]) * 60
    return int(text) if text.isascii() and text.isdigit() else None
