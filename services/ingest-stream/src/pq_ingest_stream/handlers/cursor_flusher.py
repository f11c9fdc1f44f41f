"""Persist each owned symbol's cursor (PQ_STREAM_CURSORS), once per heartbeat.

The cursor is the newest quote time, with the follow-ups still waiting. A symbol with an
open gap or queued backfill keeps its old cursor: should we crash now, the next owner
starts from it and asks for the same backfill again (same job ids).
"""

from __future__ import annotations

from collections.abc import Callable

import nats.errors

from pq_domain import Symbol

from ..adapters.cursor_store import KvCursorStore
from ..model.last_quotes import LastQuotes
from ..model.stream_cursor import StreamCursor
from .gap_backfiller import GapBackfiller


class CursorFlusher:
    def __init__(
        self,
        last_quotes: LastQuotes,
        store: KvCursorStore,
        backfiller: GapBackfiller,
        owned: Callable[[], frozenset[Symbol]],
    ) -> None:
        self._last = last_quotes
        self._store = store
        self._backfiller = backfiller
        self._owned = owned

    async def flush(self) -> int:
        owned = self._owned()
        taken = self._last.take_dirty(keep=self._backfiller.busy_symbols(owned))
        entries = {
            s: StreamCursor(ts, self._backfiller.follow_ups_of(s))
            for s, ts in taken.items()
            if s in owned
        }
        if not entries:
            return 0
        try:
            await self._store.put_many(entries)
        except (nats.errors.Error, OSError):
            self._last.mark_dirty(entries)
            raise
        return len(entries)
