"""A quote session: symbols added and removed at will, a full first `qsd`, then diffs per tick."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .link import ClientLink
from .market import SymbolMarket
from .quotes import fields_at, live_fields, next_tick_ms, static_fields, ticks_between
from .world import World


@dataclass(slots=True)
class _Subscription:
    market: SymbolMarket
    sent: dict[str, Any] = field(default_factory=dict)  # the client's view of the fields
    until_ms: int = 0  # ticks up to here were sent


class QuoteSession:
    def __init__(self, session_id: str, world: World, link: ClientLink, *, delayed: bool) -> None:
        self.id = session_id
        self._world = world
        self._link = link
        self._delayed = delayed
        self._fields: set[str] | None = None  # None: every field
        self._subscriptions: dict[str, _Subscription] = {}  # keyed by the text the client sent

    def handle(self, method: str, params: list[Any]) -> list[str]:
        names = [p for p in params[1:] if isinstance(p, str)]  # skip {"flags": [...]}
        if method == "quote_set_fields":
            self._fields = set(names)
        elif method == "quote_add_symbols":
            return [frame for name in names for frame in self._add(name)]
        elif method == "quote_remove_symbols":
            for name in names:
                self._subscriptions.pop(name, None)
        elif method not in ("quote_fast_symbols", "quote_hibernate_all", "quote_delete_session"):
            return [
                self._link.packet(
                    "critical_error", [self.id, "invalid_parameters", method], stamped=False
                )
            ]
        return []

    def _add(self, name: str) -> list[str]:
        market = self._world.lookup(name)
        if market is None:
            error = {"n": name, "s": "error", "errmsg": "no_such_symbol", "v": {}}
            return [self._link.packet("qsd", [self.id, error], stamped=False)]
        now = self._world.clock.now_ms()
        delayed = self._delayed and market.spec.delay_s > 0
        values = self._visible(static_fields(market, delayed=delayed) | fields_at(market, now))
        self._subscriptions[name] = _Subscription(market, values, now)
        return [
            self._link.packet("qsd", [self.id, {"n": name, "s": "ok", "v": values}], stamped=False),
            self._link.packet("quote_completed", [self.id, name], stamped=False),
        ]

    def updates(self, now_ms: int) -> list[str]:
        """One partial `qsd` per tick since the last call: only the fields that changed."""
        frames = []
        for name, sub in self._subscriptions.items():
            for day, index, ticks in ticks_between(sub.market, sub.until_ms, now_ms):
                values = self._visible(live_fields(sub.market, day, index, ticks, open_now=True))
                diff = {k: v for k, v in values.items() if sub.sent.get(k) != v}
                if diff:
                    sub.sent.update(diff)
                    packet = [self.id, {"n": name, "s": "ok", "v": diff}]
                    frames.append(self._link.packet("qsd", packet, stamped=False))
            sub.until_ms = now_ms
        return frames

    def next_tick_ms(self) -> int | None:
        """When the next tick of any subscribed symbol is due (event time), if known."""
        due = [next_tick_ms(s.market, s.until_ms) for s in self._subscriptions.values()]
        return min((t for t in due if t is not None), default=None)

    def _visible(self, values: dict[str, Any]) -> dict[str, Any]:
        if self._fields is None:
            return values
        return {k: v for k, v in values.items() if k in self._fields}
