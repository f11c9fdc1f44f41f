"""What each event payload field means, with its unit, for the AsyncAPI document.

By field name (the events share their vocabulary); `(Event, field)` where one event
means something else by it. Every payload field must be described here (a unit test
walks them all), so a new field cannot reach the document unexplained.
"""

from __future__ import annotations

EPOCH_MS = "epoch milliseconds UTC"

FIELDS: dict[str, str] = {
    "symbol": "The instrument, `EXCHANGE:CODE` as TradingView names it",
    "interval": "Bar interval: 1m 5m 15m 1h 4h 1d 1w 1M",
    "job_id": "The sync job's id (as in REST `/v1/sync/{job_id}`)",
    "t": f"Bar open time (its key), {EPOCH_MS}, aligned to the session (see docs)",
    "o": "Open price, in the symbol's quote currency",
    "h": "High price, in the symbol's quote currency",
    "l": "Low price, in the symbol's quote currency",
    "c": "Close price, in the symbol's quote currency",
    "v": "Volume traded during the bar, in units of the instrument (shares, contracts, coins)",
    "ticks": "Quotes that built the bar (count)",
    "revision": "0 for the first close of a bar; +1 for each late correction",
    "price": "Last traded price, in the symbol's quote currency",
    "volume": "The day's cumulative traded volume so far, in units of the instrument",
    "bid": "Best bid, in the symbol's quote currency (null when unknown)",
    "ask": "Best ask, in the symbol's quote currency (null when unknown)",
    "ts": f"When the quote happened (event time), {EPOCH_MS}",
    "delayed": "True when the provider delays this symbol's data",
    "at": f"When it happened, {EPOCH_MS}",
    "chunk": "This chunk's index, from 0",
    "chunks": "How many chunks the job's bars came in (count)",
    "bars": "Bars (count)",
    "start": f"Range start, inclusive, {EPOCH_MS} (null: the newest `bars` instead)",
    "end": f"Range end, exclusive, {EPOCH_MS} (null: up to now)",
    "error": "Why the job failed, naming the symbol",
    "attempt": "Delivery attempt of the sync command that did this (from 1)",
    "round": "Fetch round within the attempt (from 1)",
    "bars_fetched": "Bars received from the provider so far in this attempt (count)",
    "expected": "Bars the job will fetch when known (count); null for a time range",
    "description": "The provider's name of the instrument",
    "type": "Instrument type: stock, futures, forex, crypto, index, ...",
    "currency": "Quote currency (ISO 4217 or the crypto asset's code)",
    "exchange": "The listing exchange",
    "timezone": "The exchange's IANA time zone, e.g. America/New_York",
    "session": "Trading session in TradingView's notation, e.g. 0930-1600 (exchange time)",
    "pricescale": "Price precision: prices are multiples of 1/pricescale",
}
BY_EVENT: dict[tuple[str, str], str] = {
    ("BarSynced", "bars"): "The chunk's bars, ascending by `t`, at most 1,000",
    ("SyncRequested", "bars"): "How many of the newest bars to sync (count); null for a range",
    ("SyncJobCompleted", "bars"): "Bars the job synced (count)",
    ("SymbolResolved", "at"): f"When the provider resolved the symbol, {EPOCH_MS}",
}


def describe(event: str, field: str) -> str | None:
    return BY_EVENT.get((event, field), FIELDS.get(field))
