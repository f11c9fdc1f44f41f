"""What `create_series` may ask for, checked the way TradingView checks it.

- The range (p[5]) is a bar count `n`, or `["bar_count", to_ts, n]`: the n bars up to
  `to_ts` (epoch seconds), as TradingView-API's `to` option sends it.
- A resolution that is not even spelled like one ("XX") is `critical_error`
  "invalid parameters"; a well-spelled one the plan does not serve ("20", "1S") is
  `series_error` "custom_resolution".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_RESOLUTION_SYNTAX = re.compile(r"\d*[SDWM]|\d+[HRT]?", re.IGNORECASE)


def is_resolution_syntax(text: object) -> bool:
    return isinstance(text, str) and _RESOLUTION_SYNTAX.fullmatch(text.strip()) is not None


@dataclass(frozen=True, slots=True)
class SeriesRange:
    count: int
    to_ms: int | None = None  # None: up to now (a live series)

    @classmethod
    def parse(cls, value: object) -> SeriesRange | None:
        """None when `value` is neither a positive count nor a well-formed bar_count range."""
        if isinstance(value, int) and _positive_int(value):
            return cls(value)
        if not isinstance(value, list) or len(value) != 3 or value[0] != "bar_count":
            return None
        to_ts, count = value[1], value[2]
        if not _positive_int(count) or isinstance(to_ts, bool):
            return None
        if not isinstance(to_ts, int | float) or to_ts <= 0:
            return None
        return cls(int(count), int(to_ts * 1000))


def _positive_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0
