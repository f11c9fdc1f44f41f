"""Early closes (half days) of the markets that have them, by rule, so no list goes stale.

NYSE and Nasdaq close at 13:00 New York on July 3 and December 24 when they fall on a
weekday, and on the day after Thanksgiving (the fourth Thursday of November). The
simulator keeps trading on the holidays themselves (holidays are not modelled); a half
day only ends the session early. Bar keys do not depend on it: the day's bars keep the
grid of its open, and the last one is simply shorter (or missing).
"""

from __future__ import annotations

from datetime import date, time, timedelta

US_EARLY_CLOSE = time(13, 0)


def _thanksgiving(year: int) -> date:
    first = date(year, 11, 1)
    first_thursday = first + timedelta(days=(3 - first.weekday()) % 7)
    return first_thursday + timedelta(weeks=3)


def _us(traded: date) -> time | None:
    if traded.weekday() >= 5:
        return None
    if (traded.month, traded.day) in ((7, 3), (12, 24)):
        return US_EARLY_CLOSE
    if traded == _thanksgiving(traded.year) + timedelta(days=1):
        return US_EARLY_CLOSE
    return None


RULES = {"us": _us}


def early_close(rule: str, traded: date) -> time | None:
    """The local close of `traded` when it is a half day under `rule` ("" : never)."""
    if not rule:
        return None
    return RULES[rule](traded)
