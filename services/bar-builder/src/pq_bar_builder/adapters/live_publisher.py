"""LiveBarPublisher: forming bars -> `pq.live.bars.<ex>.<code>.<interval>` on core NATS.

Not through the outbox on purpose: provisional bars are for charts, superseded within a
second, and BarCompleted stays the durable final word. Only bars that changed since
their last publication are sent, at most `per_s` times a second per symbol.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from nats.aio.client import Client

from pq_domain import Interval, Symbol
from pq_domain.events import BarUpdated
from pq_domain.subjects import live_bars_subject
from pq_runtime.codec import encode
from pq_runtime.envelope import EVENT_TYPE, MSG_ID, SCHEMA_VERSION

from ..model.live_throttle import LiveBarThrottle

FormingBars = Callable[[Symbol], list[BarUpdated]]
_HEADERS = {EVENT_TYPE: BarUpdated.EVENT_TYPE, SCHEMA_VERSION: str(BarUpdated.SCHEMA_VERSION)}


def live_bar_id(u: BarUpdated) -> str:
    """Names the forming bar's state: the same id means nothing new to a chart."""
    return f"bar-updated:{u.symbol}:{u.interval.value}:{u.bar.t}:{u.ticks}"


class LiveBarPublisher:
    def __init__(
        self,
        nc: Client,
        forming: FormingBars,
        per_s: float,
        on_published: Callable[[], None] | None = None,
    ) -> None:
        self._nc = nc
        self._on_published = on_published
        self._forming = forming
        self._throttle: LiveBarThrottle[Symbol] = LiveBarThrottle(max(1, int(1000 / per_s)))
        self._sent: dict[Symbol, dict[tuple[Interval, int], BarUpdated]] = {}
        self._subjects: dict[tuple[Symbol, Interval], str] = {}  # escaping costs per call
        self.published = 0

    async def changed(self, symbols: Iterable[Symbol], now_ms: int) -> None:
        """Symbols whose forming bars may have changed (a batch touched them)."""
        for symbol in self._throttle.changed(symbols, now_ms):
            await self._publish(symbol)

    async def flush(self, now_ms: int) -> None:
        """Publish symbols held back by the throttle whose window has ended."""
        for symbol in self._throttle.due(now_ms):
            await self._publish(symbol)

    def forget(self, symbols: Iterable[Symbol]) -> None:
        """Drop tracking (the partition moved to another owner)."""
        symbols = list(symbols)
        self._throttle.forget(symbols)
        for s in symbols:
            self._sent.pop(s, None)
        self._subjects.clear()

    async def _publish(self, symbol: Symbol) -> None:
        before = self._sent.get(symbol, {})
        now: dict[tuple[Interval, int], BarUpdated] = {}
        for update in self._forming(symbol):
            key = (update.interval, update.bar.t)
            now[key] = update
            if before.get(key) != update:
                headers = {**_HEADERS, MSG_ID: live_bar_id(update)}
                subject = self._subject(symbol, update.interval)
                await self._nc.publish(subject, encode(update.to_payload()), headers=headers)
                self.published += 1
                if self._on_published is not None:
                    self._on_published()
        self._sent[symbol] = now

    def _subject(self, symbol: Symbol, interval: Interval) -> str:
        subject = self._subjects.get((symbol, interval))
        if subject is None:
            subject = self._subjects[(symbol, interval)] = live_bars_subject(symbol, interval)
        return subject
