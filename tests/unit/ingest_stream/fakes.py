"""Tiny fakes with visible state for the service layer."""

from __future__ import annotations

from dataclasses import dataclass, field

from pq_domain import Symbol
from pq_domain.events import SyncRequested
from pq_tradingview import StreamStatus


@dataclass
class FakeSession:
    subscribed: set[Symbol] = field(default_factory=set)
    calls: list[tuple[str, list[str]]] = field(default_factory=list)

    async def subscribe(self, *symbols: Symbol | str) -> None:
        self.calls.append(("subscribe", [str(s) for s in symbols]))
        self.subscribed.update(Symbol.parse(str(s)) for s in symbols)

    async def unsubscribe(self, *symbols: Symbol | str) -> None:
        self.calls.append(("unsubscribe", [str(s) for s in symbols]))
        self.subscribed.difference_update(Symbol.parse(str(s)) for s in symbols)


@dataclass
class FakeListener:
    acquired_: list[frozenset[Symbol]] = field(default_factory=list)
    released_: list[tuple[frozenset[Symbol], frozenset[Symbol]]] = field(default_factory=list)

    async def acquired(self, symbols: frozenset[Symbol]) -> None:
        self.acquired_.append(symbols)

    async def released(self, symbols: frozenset[Symbol], *, deleted: frozenset[Symbol]) -> None:
        self.released_.append((symbols, deleted))


@dataclass
class SentCommands:
    sent: list[SyncRequested] = field(default_factory=list)
    failing: bool = False

    async def __call__(self, command: SyncRequested) -> None:
        if self.failing:
            raise OSError("nats away")
        self.sent.append(command)


@dataclass
class FakeStatus:
    connected: bool = True
    reconnects: int = 0

    def status(self) -> StreamStatus:
        return StreamStatus(
            connected=self.connected,
            connected_since=None,
            reconnects=self.reconnects,
            silent_disconnects=0,
            conflated_quotes=0,
            dropped_rejections=0,
            malformed_messages=0,
            last_error=None,
        )


@dataclass
class Clock:
    now: float = 0.0

    def __call__(self) -> float:
        return self.now
