"""`symbol_resolved` metadata and symbol lookup (plain `EXCH:SYM` or a `={...}` spec)."""

from __future__ import annotations

import json
from typing import Any

from .universe import SymbolSpec


def symbol_name_of(spec_text: str) -> str:
    """`NASDAQ:AAPL`, or the `symbol` inside `={"symbol":"NASDAQ:AAPL",...}`; upper-cased."""
    if spec_text.startswith("="):
        try:
            data = json.loads(spec_text[1:])
        except ValueError:
            return ""
        value = data.get("symbol") if isinstance(data, dict) else None
        return value.upper() if isinstance(value, str) else ""
    return spec_text.upper()


def resolved_meta(spec: SymbolSpec, *, delayed: bool) -> dict[str, Any]:
    """The keys of a captured live `symbol_resolved` frame, filled from the spec."""
    session = spec.session
    meta: dict[str, Any] = {
        "name": spec.code,
        "full_name": spec.symbol,
        "pro_name": spec.symbol,
        "description": spec.description,
        "exchange": spec.exchange,
        "listed_exchange": spec.exchange,
        "type": spec.type,
        "typespecs": [],
        "currency_code": spec.currency,
        "pricescale": spec.pricescale,
        "minmov": spec.minmov,
        "minmove2": 0,
        "pointvalue": 1,
        "session": session,
        "session_display": session,
        "subsessions": [
            {"id": "regular", "description": "Regular Trading Hours", "session": session}
        ],
        "timezone": spec.timezone,
        "has_intraday": True,
        "has_extended_hours": False,
        "has_adjustment": spec.type == "stock",
        "allowed_adjustment": "splits" if spec.type == "stock" else "none",
        "is_tradable": True,
        "bar_source": "trade",
        "bar_fillgaps": False,
        "visible_plots_set": "ohlcv" if spec.has_volume else "ohlc",
    }
    if delayed:
        meta["delay"] = spec.delay_s
    return meta
