"""Schedule schemas: ScheduleUpsert (PUT body), SchedulePublic, SchedulesList.

`every` is seconds (an integer >= 60) or a duration text: a shorthand `<n>s|m|h|d|w`
(`90m`, `1h`, `1d`) or an ISO 8601 duration `P[nW|nD][T[nH][nM][nS]]` (`PT1H30M`, `P1D`).
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema

from pq_domain import Interval
from pq_domain.instants import integral

from .fields import JsonInt

MIN_EVERY_S = 60
MAX_EVERY_S = 366 * 86_400
_UNIT_S = {"s": 1, "m": 60, "h": 3600, "d": 86_400, "w": 7 * 86_400}
_SHORTHAND = re.compile(r"(\d{1,9})([smhdw])")
_ISO = re.compile(
    r"P(?:(\d{1,6})W|(?:(\d{1,6})D)?(?:T(?:(\d{1,6})H)?(?:(\d{1,6})M)?(?:(\d{1,9})S)?)?)"
)


def parse_every(value: object) -> int:
    """Seconds from an integer or a duration text; ValueError names what was expected."""
    if isinstance(value, bool):
        raise ValueError("expected seconds or a duration such as 1h or PT1H, got a boolean")
    value = integral(value)
    if isinstance(value, int):
        seconds = value
    elif isinstance(value, str):
        seconds = duration_seconds(value.strip())
    else:
        raise ValueError(
            f"expected seconds or a duration such as 1h or PT1H, got {type(value).__name__}"
        )
    if not MIN_EVERY_S <= seconds <= MAX_EVERY_S:
        raise ValueError(f"must be between {MIN_EVERY_S} s and {MAX_EVERY_S} s (366 days)")
    return seconds


def duration_seconds(text: str) -> int:
    """Seconds of a duration text (no range check); ValueError when it is none."""
    if text.isdigit():
        return int(text)
    short = _SHORTHAND.fullmatch(text)
    if short:
        return int(short[1]) * _UNIT_S[short[2]]
    iso = _ISO.fullmatch(text.upper())
    if iso and text.upper() not in ("P", "PT") and not text.upper().endswith("T"):
        weeks, days, hours, minutes, secs = (int(g) if g else 0 for g in iso.groups())
        return (((weeks * 7 + days) * 24 + hours) * 60 + minutes) * 60 + secs
    raise ValueError(f"not a duration: {text!r} (give seconds, 90m, 1h, 1d, PT1H30M, P1D)")


# The texts `duration_seconds` reads (ISO in upper case, shorthands in lower case; it also
# takes surrounding blanks and lower-case ISO). Their 60 s..366 days bound is in words.
EVERY_TEXT_PATTERN = (
    "^([0-9]{1,9}|[0-9]{1,9}[smhdw]|P([0-9]{1,6}W|[0-9]{1,6}D|([0-9]{1,6}D)?T("
    "[0-9]{1,6}H([0-9]{1,6}M)?([0-9]{1,9}S)?|[0-9]{1,6}M([0-9]{1,9}S)?|[0-9]{1,9}S)))$"
)
_EVERY_SCHEMA: dict[str, Any] = {
    "anyOf": [
        {
            "type": "integer",
            "minimum": MIN_EVERY_S,
            "maximum": MAX_EVERY_S,
            "description": "seconds",
        },
        {
            "type": "string",
            "pattern": EVERY_TEXT_PATTERN,
            "description": "`<n>s|m|h|d|w` or ISO 8601 `P[nW|nD][T[nH][nM][nS]]`, 60 s to 366 days",
        },
    ],
    "examples": [3600, "1h", "PT1H30M", "P1D"],
}

Every = Annotated[int, BeforeValidator(parse_every), WithJsonSchema(_EVERY_SCHEMA)]


class ScheduleUpsert(BaseModel):
    """Re-sync the newest `bars` bars of one interval every `every` (first one at once).

    Unknown fields are refused (422) so that a typo is never silently ignored.
    """

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"interval": "1h", "every": "1h", "bars": 500}]},
    )

    interval: Interval
    every: Every = Field(description="The period: seconds (>= 60) or a duration text")
    bars: JsonInt = Field(
        description="Newest bars per firing, 1..20000 (and at most PQ_SYNC_MAX_BARS)"
    )


class SchedulePublic(BaseModel):
    symbol: str = Field(examples=["NYSE:BRK.B"])
    interval: Interval
    every_s: int = Field(description="The period in seconds")
    bars: int
    next_due_at: datetime = Field(description="When it fires next, RFC 3339 UTC")


class SchedulesList(BaseModel):
    schedules: list[SchedulePublic]
