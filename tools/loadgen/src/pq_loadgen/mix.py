"""What requests are sent: weighted kinds, e.g. `bars=6,quote=3,health=1`."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import quote, urlencode


@dataclass(frozen=True, slots=True)
class RequestKind:
    name: str
    weight: int


@dataclass(frozen=True, slots=True)
class Request:
    kind: str
    path: str  # with the query string


KNOWN_KINDS = ("bars", "quote", "health")
DEFAULT_MIX = "bars=6,quote=3,health=1"


class RequestMix:
    """Picks request kinds by weight with a seeded generator, so runs are repeatable."""

    def __init__(
        self,
        kinds: Sequence[RequestKind],
        *,
        symbols: Sequence[str] = ("NASDAQ:AAPL",),
        interval: str = "1h",
        limit: int = 1000,
        seed: int = 1,
    ) -> None:
        live = [k for k in kinds if k.weight > 0]
        if not live:
            raise ValueError("the request mix needs at least one kind with a positive weight")
        if not symbols:
            raise ValueError("the request mix needs at least one symbol")
        self.kinds = tuple(live)
        self._symbols = tuple(symbols)
        self._interval = interval
        self._limit = limit
        self._random = random.Random(seed)

    def next_request(self) -> Request:
        kind = self._random.choices(self.kinds, weights=[k.weight for k in self.kinds])[0]
        symbol = self._random.choice(self._symbols)
        return Request(kind.name, self.path_of(kind.name, symbol))

    def path_of(self, kind: str, symbol: str) -> str:
        if kind == "bars":
            query = urlencode({"symbol": symbol, "interval": self._interval, "limit": self._limit})
            return f"/v1/bars?{query}"
        if kind == "quote":
            return f"/v1/quotes/{quote(symbol, safe=':')}"
        if kind == "health":
            return "/health"
        raise ValueError(f"unknown request kind {kind!r}")


def parse_kinds(text: str) -> list[RequestKind]:
    """`bars=6,quote=3,health=1` -> weighted kinds; unknown kinds and bad weights are refused."""
    kinds: list[RequestKind] = []
    for part in filter(None, (p.strip() for p in text.split(","))):
        name, sep, weight = part.partition("=")
        name = name.strip()
        if name not in KNOWN_KINDS:
            raise ValueError(f"unknown request kind {name!r} (known: {', '.join(KNOWN_KINDS)})")
        try:
            value = int(weight) if sep else 1
        except ValueError:
            raise ValueError(f"weight of {name!r} must be an integer, got {weight!r}") from None
        if value < 0:
            raise ValueError(f"weight of {name!r} must not be negative")
        kinds.append(RequestKind(name, value))
    return kinds
