"""What every connection shares: settings, the event clock, faults and the symbols' markets."""

from __future__ import annotations

from collections import Counter
from typing import Any

from .accounts import TokenIssuer
from .config import SimulatorConfig
from .history_worker import HistoryWorker
from .market import SymbolMarket
from .symbol_info import resolved_meta, symbol_name_of


class World:
    def __init__(self, config: SimulatorConfig) -> None:
        self.config = config
        self.faults = config.faults
        self.clock = config.clock()
        self._markets: dict[str, SymbolMarket] = {}
        self.history = HistoryWorker()  # generates history rounds off the event loop
        self.accounts = config.accounts
        self.tokens = TokenIssuer(config.token_ttl_s)
        self.signins: Counter[str] = Counter(ok=0, rejected=0, challenged=0, refused=0)

    def market(self, symbol: str) -> SymbolMarket:
        """The market of a universe symbol (KeyError otherwise), created on first use."""
        market = self._markets.get(symbol)
        if market is None:
            spec = self.config.universe[symbol]
            market = self._markets[symbol] = SymbolMarket(spec, self.config.seed)
        return market

    def lookup(self, spec_text: str) -> SymbolMarket | None:
        """The market a client's symbol text names; None when unknown or rejected by a fault."""
        name = symbol_name_of(spec_text)
        rejected = {s.upper() for s in self.faults.reject_symbols}
        if name not in self.config.universe or name in rejected:
            return None
        return self.market(name)

    def resolved_meta(self, market: SymbolMarket, *, delayed: bool) -> dict[str, Any]:
        return resolved_meta(market.spec, delayed=delayed and market.spec.delay_s > 0)
