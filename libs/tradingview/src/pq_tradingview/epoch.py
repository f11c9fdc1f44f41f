"""TradingView's epoch-seconds times -> the contract's epoch milliseconds, or None.

A time is any finite JSON number on the wire; 1e308 seconds is one too, and
`round(1e308 * 1000)` raises OverflowError (docs/fuzzing.md, F7). Only times whose
milliseconds fit in the contract's 64-bit integers are kept (about +-292 million years:
history before 1970 is negative and stays valid); callers drop and count the rest.
"""

from __future__ import annotations

import math

INT64_MAX = 2**63 - 1
# |seconds| below this: seconds * 1000, rounded, stays inside int64 milliseconds.
MAX_ABS_EPOCH_S = INT64_MAX // 1000 - 1


def epoch_ms_of_seconds(seconds: float) -> int | None:
    if not math.isfinite(seconds) or abs(seconds) >= MAX_ABS_EPOCH_S:
        return None
    return round(seconds * 1000)
