"""Trading sessions: when a symbol's trading day opens, in its exchange's time zone.

A session opens at `open_time` local time and closes at `close_time`. When it
closes at or before the local time it opened (`1700-1600`, `1700-1700`), it is
*overnight*: it opens in the evening and ends the next calendar day. The
**trading date** of an overnight session is the calendar day after its open
(FX Monday opens Sunday 17:00 New York; CME Monday opens Sunday 17:00 Chicago),
as TradingView dates it; otherwise it is the day of the open. `weekdays` lists
the ISO weekdays (1 Monday .. 7 Sunday) of trading dates; it is metadata from
the provider and does not change bucket keys (see bucketing.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

ALL_WEEKDAYS: frozenset[int] = frozenset(range(1, 8))
MON_FRI: frozenset[int] = frozenset(range(1, 6))
_MIDNIGHT = time(0, 0)


class InvalidSession(ValueError):
    """A session description that cannot be used."""


@dataclass(frozen=True, slots=True)
class TradingSession:
    timezone: str = "UTC"  # IANA zone of the exchange
    open_time: time = _MIDNIGHT  # local time the trading day opens
    close_time: time = _MIDNIGHT  # local time it closes (informational)
    always_open: bool = False  # 24x7: days open at local midnight
    weekdays: frozenset[int] = ALL_WEEKDAYS  # ISO weekdays of trading dates

    def __post_init__(self) -> None:
        try:
            ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise InvalidSession(f"unknown time zone {self.timezone!r}") from None
        for t in (self.open_time, self.close_time):
            if t.tzinfo is not None or t.second or t.microsecond:
                raise InvalidSession(f"session times must be naive whole minutes, got {t}")
        if self.always_open and self.open_time != _MIDNIGHT:
            raise InvalidSession("a 24x7 session opens at local midnight")
        if not self.weekdays or not self.weekdays <= ALL_WEEKDAYS:
            raise InvalidSession(f"weekdays must be a non-empty subset of 1..7: {self.weekdays}")

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)  # ZoneInfo caches instances per key

    @property
    def overnight(self) -> bool:
        """Opens one calendar day before its trading date (e.g. FX 17:00-17:00)."""
        if self.always_open or self.open_time == _MIDNIGHT:
            return False
        return self.close_time <= self.open_time

    @property
    def trading_date_offset(self) -> int:
        """Days from the calendar date of the open to the trading date (0 or 1)."""
        return 1 if self.overnight else 0

    def trades_on(self, iso_weekday: int) -> bool:
        return iso_weekday in self.weekdays

    @classmethod
    def from_tradingview(cls, session: str, timezone: str) -> TradingSession:
        """Parse TradingView's `session` and `timezone` symbol metadata.

        Accepts `24x7`, `HHMM-HHMM`, several ranges joined by `,` (the open is the
        first range's, the close the last's), an optional `:days` suffix with
        TradingView's day digits (1 Sunday .. 7 Saturday), and `|`-joined
        alternatives (the first gives the times, all give the days).
        """
        text = session.strip()
        if text.lower() == "24x7":
            return cls(timezone, always_open=True)
        if not text:
            raise InvalidSession("empty TradingView session")
        spans: list[tuple[time, time]] = []  # (open, close) of each alternative
        days: set[int] = set()
        for alternative in text.split("|"):
            ranges, _, digits = alternative.partition(":")
            parts = [_range(part, session) for part in ranges.split(",")]
            spans.append((parts[0][0], parts[-1][1]))
            for d in digits.strip():
                if d not in "1234567":
                    raise InvalidSession(f"bad session day {d!r} in {session!r}")
                days.add((int(d) - 2) % 7 + 1)  # TradingView 1=Sunday -> ISO 7
        open_time, close_time = spans[0]
        return cls(timezone, open_time, close_time, weekdays=frozenset(days) or ALL_WEEKDAYS)


def _range(text: str, session: str) -> tuple[time, time]:
    start, sep, end = text.strip().partition("-")
    if not sep:
        raise InvalidSession(f"bad session range {text!r} in {session!r}")
    return _hhmm(start, session), _hhmm(end, session)


def _hhmm(text: str, session: str) -> time:
    text = text.strip()
    if len(text) != 4 or not text.isdigit():
        raise InvalidSession(f"bad session time {text!r} in {session!r}")
    hours, minutes = int(text[:2]), int(text[2:])
    if hours == 24 and minutes == 0:
        return _MIDNIGHT
    if hours > 23 or minutes > 59:
        raise InvalidSession(f"bad session time {text!r} in {session!r}")
    return time(hours, minutes)


UTC_24X7 = TradingSession("UTC", always_open=True)
_US_EQUITY = TradingSession("America/New_York", time(9, 30), time(16, 0), weekdays=MON_FRI)
_FX = TradingSession("America/New_York", time(17, 0), time(17, 0), weekdays=MON_FRI)
_CME = TradingSession("America/Chicago", time(17, 0), time(16, 0), weekdays=MON_FRI)

_DEFAULTS: dict[str, TradingSession] = {
    **dict.fromkeys(("NASDAQ", "NYSE", "AMEX", "NYSE_ARCA"), _US_EQUITY),
    **dict.fromkeys(("BINANCE", "COINBASE", "BITSTAMP", "KRAKEN"), UTC_24X7),
    **dict.fromkeys(("FX", "FX_IDC", "OANDA", "FOREXCOM", "FXCM", "SAXO"), _FX),
    **dict.fromkeys(
        ("CME", "CME_MINI", "CBOT", "CBOT_MINI", "COMEX", "COMEX_MINI", "NYMEX", "NYMEX_MINI"),
        _CME,
    ),
    "LSE": TradingSession("Europe/London", time(8, 0), time(16, 30), weekdays=MON_FRI),
    "XETR": TradingSession("Europe/Berlin", time(9, 0), time(17, 30), weekdays=MON_FRI),
    "TSE": TradingSession("Asia/Tokyo", time(9, 0), time(15, 30), weekdays=MON_FRI),
    "KRX": TradingSession("Asia/Seoul", time(9, 0), time(15, 30), weekdays=MON_FRI),
    **dict.fromkeys(
        ("NSE", "BSE"), TradingSession("Asia/Kolkata", time(9, 15), time(15, 30), weekdays=MON_FRI)
    ),
    "SP": _US_EQUITY,  # S&P indices (SP:SPX) follow the NYSE session
}


# Symbols whose session differs from their exchange's (spot metals trade from 18:00).
_METALS = TradingSession("America/New_York", time(18, 0), time(17, 0), weekdays=MON_FRI)
_SYMBOL_DEFAULTS: dict[str, TradingSession] = dict.fromkeys(
    ("OANDA:XAUUSD", "OANDA:XAGUSD"), _METALS
)


def default_session(exchange: str, code: str = "") -> TradingSession:
    """The session assumed for a symbol (or an exchange) until provider metadata says
    otherwise: the symbol's own when it differs from its exchange's, else the exchange's.

    Unknown exchanges trade 24x7 in UTC.
    """
    exchange = exchange.upper()
    if code:
        own = _SYMBOL_DEFAULTS.get(f"{exchange}:{code.upper()}")
        if own is not None:
            return own
    return _DEFAULTS.get(exchange, UTC_24X7)
