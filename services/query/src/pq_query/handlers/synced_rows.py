"""BarSynced payload -> bar rows, with no per-bar object but the row tuple itself.

A chunk holds up to a thousand bars, and `BarSynced.from_payload` builds a validated
`Bar` (six checked fields, a frozen dataclass) for each before this service would copy
it into a row: most of a projected batch's time. Here the decoded payload's bar dicts
are read straight into row tuples, with a check that accepts a bar only where the
domain's own reading certainly does and yields the very same values: exact JSON types
(an integer `t` within 64 bits, float prices and volume), finite, low <= open,
close <= high, volume >= 0. Anything else (an integer price, a missing field, a bad
bar) goes to `BarSynced.from_payload`, which raises the domain's error for the payload
or reads it its own way; so the domain stays the only judge of what a BarSynced is.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from typing import Any

from pq_domain.events import BarSynced, InvalidEvent

from ..model.bar_rows import BarSource, BarValues, precedence

_INT64_MIN, _INT64_MAX = -(2**63), 2**63 - 1
_FLOAT_MAX = sys.float_info.max
_SYNCED = BarSource.SYNCED.value


def synced_rows(p: Mapping[str, Any], seq: int) -> tuple[BarSynced, list[BarValues]]:
    """The event without its bars (job, chunk, symbol, interval) and the rows of its bars."""
    head = _head(p)
    symbol, interval = str(head.symbol), head.interval.value
    rank = precedence(BarSource.SYNCED, 0, seq)
    rows = _fast_rows(p["bars"], symbol, interval, seq, rank)
    if rows is None:
        event = BarSynced.from_payload(p)
        rows = [
            (symbol, interval, b.t, b.o, b.h, b.l, b.c, b.v, _SYNCED, 0, 0, seq, rank)
            for b in event.bars
        ]
    return head, rows


def _head(p: Mapping[str, Any]) -> BarSynced:
    """Every field but the bars, read by the domain; its error for the whole payload if
    one is wrong (the domain reads `bars` before `chunk`, so that error may be another)."""
    bars = p.get("bars")
    try:
        return BarSynced.from_payload({**p, "bars": []} if type(bars) is list else p)
    except InvalidEvent:
        BarSynced.from_payload(p)
        raise


def _fast_rows(
    bars: list[Any], symbol: str, interval: str, seq: int, rank: int
) -> list[BarValues] | None:
    """The rows, or None as soon as one bar needs the domain's reading."""
    rows: list[BarValues] = []
    append = rows.append
    lo, hi = -_FLOAT_MAX, _FLOAT_MAX
    for b in bars:
        if type(b) is not dict:
            return None
        try:
            t, o, h, l, c, v = b["t"], b["o"], b["h"], b["l"], b["c"], b["v"]
        except KeyError:
            return None
        # Bounded by finite l and h, o and c are finite; NaN fails every comparison.
        if not (
            type(t) is int
            and type(o) is float
            and type(h) is float
            and type(l) is float
            and type(c) is float
            and type(v) is float
            and _INT64_MIN <= t <= _INT64_MAX
            and lo <= l <= o <= h <= hi
            and l <= c <= h
            and 0.0 <= v <= hi
        ):
            return None
        append((symbol, interval, t, o, h, l, c, v, _SYNCED, 0, 0, seq, rank))
    return rows
