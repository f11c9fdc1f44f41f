"""What happens when this shard gains or loses symbols: gaps open, cursors are read or dropped."""

from __future__ import annotations

import nats.errors
import structlog

from pq_domain import Symbol

from ..adapters.cursor_store import KvCursorStore
from ..model.last_quotes import LastQuotes
from ..model.stream_cursor import StreamCursor
from .gap_backfiller import GapBackfiller

log = structlog.get_logger(__name__)


class OwnershipChanges:
    def __init__(
        self, cursors: KvCursorStore, backfiller: GapBackfiller, last_quotes: LastQuotes
    ) -> None:
        self._cursors = cursors
        self._backfiller = backfiller
        self._last = last_quotes

    async def acquired(self, symbols: frozenset[Symbol]) -> None:
        """Each new symbol's gap starts at its cursor (restart, take-over) or is initial;
        the follow-ups its previous owner left are sent by us."""
        found: dict[Symbol, StreamCursor | None]
        try:
            found = await self._cursors.get_many(sorted(symbols, key=str))
        except (nats.errors.Error, OSError) as exc:
            # Unknown cursors: fill the initial window, the widest (and so safe) choice.
            log.warning("cursors.unreadable", error=repr(exc), symbols=len(symbols))
            found = {}
        for symbol in symbols:
            cursor = found.get(symbol)
            self._backfiller.open_gap(symbol, None if cursor is None else cursor.last_quote_ts)
            if cursor is not None:
                self._backfiller.restore_follow_ups(cursor.follow_ups)

    async def released(self, symbols: frozenset[Symbol], *, deleted: frozenset[Symbol]) -> None:
        for symbol in symbols:
            if symbol in deleted:
                self._backfiller.stream_ended(symbol)  # no next owner: repair what we have
            else:
                self._backfiller.forget(symbol)  # its next owner re-derives it all
            self._last.forget(symbol)  # its next owner writes the cursor from now on
        for symbol in deleted:  # off the watchlist: a later re-add starts fresh
            try:
                await self._cursors.delete(symbol)
            except (nats.errors.Error, OSError) as exc:
                log.warning("cursors.delete_failed", symbol=str(symbol), error=repr(exc))
