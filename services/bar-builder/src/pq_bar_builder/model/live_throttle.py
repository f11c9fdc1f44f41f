"""At most one publication per symbol per `min_interval_ms`, trailing edge kept.

Every quote changes the current bar of all intervals of its symbol together, so the
throttle is per symbol (which bounds each symbol-and-interval subject too). A symbol
that changes inside its window is remembered and published once the window ends, so
the last state of a burst is never lost.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)


class LiveBarThrottle(Generic[K]):
    def __init__(self, min_interval_ms: int) -> None:
        self.min_interval_ms = min_interval_ms
        self._last_sent: dict[K, int] = {}
        self._waiting: set[K] = set()

    def changed(self, keys: Iterable[K], now_ms: int) -> list[K]:
        """Keys that changed now: those whose window is open, to publish at once."""
        ready: list[K] = []
        for key in keys:
            last = self._last_sent.get(key)
            if last is None or now_ms - last >= self.min_interval_ms:
                self._last_sent[key] = now_ms
                self._waiting.discard(key)
                ready.append(key)
            else:
                self._waiting.add(key)
        return ready

    def due(self, now_ms: int) -> list[K]:
        """Waiting keys whose window has ended, to publish now."""
        if not self._waiting:
            return []
        ready = [k for k in self._waiting if now_ms - self._last_sent[k] >= self.min_interval_ms]
        for key in ready:
            self._waiting.discard(key)
            self._last_sent[key] = now_ms
        return ready

    def forget(self, keys: Iterable[K]) -> None:
        for key in keys:
            self._last_sent.pop(key, None)
            self._waiting.discard(key)
