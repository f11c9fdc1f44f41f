"""Typed errors of the TradingView client. Each names the symbol it concerns when there is one."""

from __future__ import annotations


class TradingViewError(Exception):
    """Base class: something went wrong talking to TradingView (or the simulator)."""

    def __init__(self, message: str, *, symbol: str | None = None) -> None:
        self.symbol = symbol
        super().__init__(f"{symbol}: {message}" if symbol else message)


class FrameError(TradingViewError):
    """A WebSocket message is not valid `~m~<len>~m~<payload>` framing or its JSON is garbage."""


class SymbolNotFound(TradingViewError):
    """The server does not know the symbol (`symbol_error`, `series_error: resolve error`)."""


class SeriesRejected(TradingViewError):
    """The server refused the series for another reason (e.g. `custom_resolution`)."""


class NoData(TradingViewError):
    """The symbol resolved but the series delivered no bars at all."""


class CriticalError(TradingViewError):
    """The server answered `critical_error` (invalid parameters, invalid timezone...)."""


class ProtocolRejected(TradingViewError):
    """The server answered `protocol_error` and disconnects; usually a bad auth token."""


class RateLimited(TradingViewError):
    """The WebSocket upgrade was refused with HTTP 429, and retries with backoff did not help."""

    def __init__(
        self, message: str, *, symbol: str | None = None, retry_after: float | None = None
    ) -> None:
        self.retry_after = retry_after
        super().__init__(message, symbol=symbol)


class ConnectionLost(TradingViewError):
    """The connection failed to open or closed before the request completed."""


class RequestTimeout(TradingViewError):
    """The server did not answer in time (no frame at all, or the request never completed)."""


class SignInError(TradingViewError):
    """Signing in to TradingView failed; the message names the account (never the password)."""


class SignInRejected(SignInError):
    """Wrong username or password, or another refusal a retry would only repeat."""


class SignInChallenge(SignInError):
    """TradingView asks for a captcha or a second factor, which a headless client cannot give."""


class SignInUnavailable(SignInError, ConnectionLost):
    """The sign-in page could not be reached or answered garbage: worth a later try."""
