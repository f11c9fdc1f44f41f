"""Follows the PQ_WATCHLIST bucket: initial values, then puts and deletes, as symbol sets.

The watcher is renewed every `resync_s`: its fresh initial values replace the whole set, so
anything a watcher missed (a NATS restart under an ordered consumer) is corrected within
one period. Keys, not values, name the symbols (`symbol_tokens`, reversible).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import nats.errors
import structlog
from nats.js import JetStreamContext
from nats.js.kv import KV_DEL, KV_PURGE, KeyValue

from pq_domain import Symbol
from pq_domain.buckets import WATCHLIST, symbol_of_key
from pq_runtime.messaging.kv import close_watcher, open_when_created

log = structlog.get_logger(__name__)
OnWatchlist = Callable[[frozenset[Symbol]], Awaitable[None]]


class WatchlistFollower:
    def __init__(
        self,
        js: JetStreamContext,
        on_change: OnWatchlist,
        *,
        resync_s: float = 30.0,
        retry_s: float = 1.0,
    ) -> None:
        self._js = js
        self._on_change = on_change
        self._resync_s = resync_s
        self._retry_s = retry_s
        self.symbols: frozenset[Symbol] = frozenset()
        self.ready = asyncio.Event()  # set once the initial values were applied

    async def run(self) -> None:
        kv = await open_when_created(self._js, WATCHLIST, retry_s=self._retry_s)
        while True:
            try:
                await self._follow_once(kv)
            except (nats.errors.Error, OSError, TimeoutError) as exc:
                log.warning("watchlist.watch_failed", error=repr(exc))
                await asyncio.sleep(self._retry_s)

    async def _follow_once(self, kv: KeyValue) -> None:
        watcher = await kv.watchall()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self._resync_s
        initial: set[Symbol] | None = set()  # None once the initial values are in
        try:
            while (remaining := deadline - loop.time()) > 0:
                try:
                    entry = await watcher.updates(timeout=remaining)  # type: ignore[no-untyped-call]
                except nats.errors.TimeoutError:
                    return
                if entry is None:  # the initial values are all delivered
                    if initial is not None:
                        await self._publish(frozenset(initial))
                        initial = None
                    continue
                symbol = _symbol(entry.key)
                if symbol is None:
                    continue
                deleted = entry.operation in (KV_DEL, KV_PURGE)
                if initial is not None:
                    (initial.discard if deleted else initial.add)(symbol)
                elif deleted:
                    await self._publish(self.symbols - {symbol})
                else:
                    await self._publish(self.symbols | {symbol})
        finally:
            await close_watcher(kv, watcher)  # each resync's consumer is deleted, not orphaned

    async def _publish(self, symbols: frozenset[Symbol]) -> None:
        if symbols != self.symbols or not self.ready.is_set():
            self.symbols = symbols
            await self._on_change(symbols)
        self.ready.set()


def _symbol(key: str) -> Symbol | None:
    try:
        return symbol_of_key(key)
    except ValueError:
        log.warning("watchlist.malformed_key", key=key)
        return None
