"""Keep only complete bars: a bar whose end is after now is still forming and may change.

The TradingView client already leaves the forming bar out by the server's clock; this is
the service's own guarantee, by its own clock, so synced history never holds a bar that a
later sync or the live bar builder would contradict.
"""

from __future__ import annotations

from collections.abc import Sequence

from pq_domain import Bar, Interval, Symbol, TradingSession, bucket_end, default_session


def session_of(symbol: Symbol, session: str, timezone: str) -> TradingSession:
    """The provider's session for the symbol, or the exchange's default when unparsable."""
    try:
        return TradingSession.from_tradingview(session, timezone)
    except (ValueError, KeyError):  # InvalidSession, or an unknown time zone
        return default_session(symbol.exchange, symbol.code)


def complete_bars(
    bars: Sequence[Bar],
    interval: Interval,
    now_ms: int,
    session: TradingSession,
    *,
    newest: int | None = None,
) -> tuple[Bar, ...]:
    """The bars that ended at or before `now_ms`, ascending; the last `newest` of them if set."""
    # An intraday bar ends one interval after its open, or at the session close if sooner.
    kept = [b for b in bars if bucket_end(interval, b.t, session) <= now_ms]
    if newest is not None:
        kept = kept[-newest:] if newest > 0 else []
    return tuple(kept)
