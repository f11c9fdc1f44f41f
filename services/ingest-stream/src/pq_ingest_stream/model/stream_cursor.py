"""A symbol's entry in PQ_STREAM_CURSORS: where its next gap starts, and what is still owed.

`last_quote_ts` only moves on once the symbol has no open gap and no queued command
(CursorFlusher), so whoever streams the symbol next re-derives any backfill not yet sent.
`follow_ups` are the buckets whose re-sync waits for them to close: written with the
cursor, so they outlive a restart or a hand-over too.
"""

from __future__ import annotations

from dataclasses import dataclass

from .follow_ups import FollowUp


@dataclass(frozen=True, slots=True)
class StreamCursor:
    last_quote_ts: int  # event time of the newest quote, epoch ms
    follow_ups: tuple[FollowUp, ...] = ()
