"""This shard's status entry: what `GET /v1/stream/status` shows for it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from pq_domain import Symbol
from pq_domain.shard_status import ShardStatus
from pq_tradingview import StreamStatus

from .gap_backfiller import wall_ms


class StatusSource(Protocol):
    def status(self) -> StreamStatus: ...


class StatusBoard(Protocol):
    async def put(self, status: ShardStatus) -> None: ...


class StatusReporter:
    def __init__(
        self,
        shard: str,
        stream: StatusSource,
        owned: Callable[[], frozenset[Symbol]],
        board: StatusBoard,
        *,
        now_ms: Callable[[], int] = wall_ms,
    ) -> None:
        self._shard = shard
        self._stream = stream
        self._owned = owned
        self._board = board
        self._now_ms = now_ms

    def current(self) -> ShardStatus:
        status = self._stream.status()
        owned = {str(s) for s in self._owned()}
        # Wall-clock arrival of the newest quote: "is this shard receiving?", whatever the
        # event time of the quotes says (a quiet symbol's last trade may be hours old).
        arrivals = [
            s.last_received_at
            for key, s in status.symbols.items()
            if key in owned and s.last_received_at is not None
        ]
        return ShardStatus(
            shard=self._shard,
            connected=status.connected,
            symbols=tuple(sorted(owned)),
            last_quote_at=round(max(arrivals) * 1000) if arrivals else None,
            reconnects=status.reconnects,
            updated_at=self._now_ms(),
            error=None if status.connected else status.last_error,
        )

    async def report(self) -> ShardStatus:
        status = self.current()
        await self._board.put(status)
        return status
