"""What a bars page request asks for, after validation."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from .cursor import Cursor, Direction

DEFAULT_LIMIT = 1000
MAX_LIMIT = 10_000
Fill = Literal["none", "prev"]


@dataclass(frozen=True, slots=True)
class BarQuery:
    """Stored bars of (symbol, interval) with start <= t < end, after the cursor, in order."""

    symbol: str
    interval: str
    start: int | None
    end: int | None
    limit: int
    direction: Direction
    cursor: Cursor | None
    fill: Fill

    def bounds(self) -> tuple[int | None, int | None]:
        """[low, high) of t for the stored rows of this page."""
        low, high = self.start, self.end
        if self.cursor is not None:
            if self.direction == "asc":
                low = self.cursor.last_t + 1 if low is None else max(low, self.cursor.last_t + 1)
            else:
                high = self.cursor.last_t if high is None else min(high, self.cursor.last_t)
        return low, high

    def cache_field(self) -> str:
        """Identifies this page among the cached pages of its (symbol, interval)."""
        c = "" if self.cursor is None else self.cursor.encode()
        return f"{self.start}|{self.end}|{self.limit}|{self.direction}|{self.fill}|{c}"
