"""The port through which a sync reads history from the provider, and its two error kinds."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Protocol

from pq_domain import Bar, Interval, Symbol
from pq_domain.events import SymbolResolved


class TransientFetchError(Exception):
    """The provider may answer next time: timeouts, dropped connections, 429."""


class PermanentFetchError(Exception):
    """Asking again cannot help (unknown symbol, rejected series); the message names the symbol."""


@dataclass(frozen=True, slots=True)
class HistoryQuery:
    """The newest `bars` bars, or the bars in [start_ms, end_ms) (end None: up to now)."""

    symbol: Symbol
    interval: Interval
    bars: int | None = None
    start_ms: int | None = None
    end_ms: int | None = None


@dataclass(frozen=True, slots=True)
class FetchedHistory:
    bars: tuple[Bar, ...]  # ascending by t, unique
    symbol_info: SymbolResolved  # what the provider said about the symbol
    session: str  # TradingView session string, to find calendar bars' ends
    timezone: str


Progress = Callable[[int], Awaitable[None]]  # bars fetched so far (this attempt)


class HistorySource(Protocol):
    async def fetch(
        self, query: HistoryQuery, on_progress: Progress | None = None
    ) -> FetchedHistory:
        """Raise TransientFetchError or PermanentFetchError, nothing else the caller must know.

        `on_progress` is awaited as the provider's answer comes in (a round at a time)."""
        ...
