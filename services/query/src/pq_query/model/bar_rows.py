"""Bar rows of the read model and the reconcile rule "source rank, then revision".

Each stored bar carries the precedence of the event that wrote it. An incoming row
replaces the stored one only when its precedence is strictly higher, so the rule is
a total order and the result does not depend on the order events are applied in
(a redelivered or replayed event, a rebuild in stream order: all reach the same rows).

precedence = (rank, revision, seq), packed into one integer so that both SQL and
MongoDB compare it with a plain `>`:
- rank: synced (provider history, authoritative) = 1 over live (BarCompleted) = 0;
- revision: a later correction of a live bar wins (synced bars have revision 0);
- seq: the JetStream stream sequence of the event; among synced bars the latest
  sync wins, and an exact replay (same seq) changes nothing.

The stores apply the rule row by row in their upserts (in stream order, which the
total order makes irrelevant), so a batch is written as it came; `winners` is the
same rule over a list, the reference the stores' results are checked against.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from typing import TypeVar

_SEQ_BITS = 40  # 1.1e12 stream messages
_REVISION_BITS = 20  # 1M corrections of one bar
_MAX_SEQ = (1 << _SEQ_BITS) - 1
_MAX_REVISION = (1 << _REVISION_BITS) - 1

# One bar row in the column order of the stores' upserts: symbol, interval, t, o, h, l,
# c, v, source, revision, ticks, seq, precedence. A plain tuple, so that a chunk of a
# thousand bars is a thousand tuples handed straight to the driver, nothing per bar more.
BarValues = tuple[str, str, int, float, float, float, float, float, str, int, int, int, int]


class BarSource(StrEnum):
    SYNCED = "synced"
    LIVE = "live"


def precedence(source: BarSource, revision: int, seq: int) -> int:
    """One integer ordering writes of the same key (fits a signed 64-bit column)."""
    rank = 1 if source is BarSource.SYNCED else 0
    rev = min(max(revision, 0), _MAX_REVISION)
    return (rank << (_SEQ_BITS + _REVISION_BITS)) | (rev << _SEQ_BITS) | min(seq, _MAX_SEQ)


Row = TypeVar("Row", bound=BarValues)


def winners(rows: Iterable[Row]) -> list[Row]:
    """The row of highest precedence per key (the first of equals), in first-seen order."""
    best: dict[tuple[str, str, int], Row] = {}
    for row in rows:
        key = (row[0], row[1], row[2])
        held = best.get(key)
        if held is None or row[12] > held[12]:
            best[key] = row
    return list(best.values())
