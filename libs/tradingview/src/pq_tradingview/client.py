"""The TradingView client: history requests (one connection each) and live quote streams."""

from __future__ import annotations

import asyncio
import logging
from types import TracebackType

import aiohttp

from pq_domain import Interval, Symbol

from .auth_tokens import AuthTokens
from .backoff import Backoff
from .connection import TradingViewConnection
from .errors import ConnectionLost, ProtocolRejected, RateLimited, SignInError, TradingViewError
from .history_loader import HistoryLoader, RoundDone
from .history_request import HistoryRequest, HistoryResult
from .quote_stream import QuoteStream
from .quote_stream_options import QuoteStreamOptions
from .settings import TradingViewSettings

log = logging.getLogger(__name__)


class TradingViewClient:
    """Use as `async with TradingViewClient(settings) as tv: await tv.fetch_history(...)`."""

    def __init__(
        self,
        settings: TradingViewSettings | None = None,
        *,
        http: aiohttp.ClientSession | None = None,
    ) -> None:
        self.settings = settings or TradingViewSettings()
        self._http = http
        self._owns_http = http is None
        self.auth = AuthTokens(self.settings, self._session)  # shared by every connection

    async def __aenter__(self) -> TradingViewClient:
        return self

    async def __aexit__(
        self, et: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()

    async def close(self) -> None:
        if self._owns_http and self._http is not None:
            await self._http.close()
            self._http = None

    def _session(self) -> aiohttp.ClientSession:
        if self._http is None:  # created lazily: it must be made inside a running loop
            self._http = aiohttp.ClientSession()
        return self._http

    async def fetch_history(
        self,
        symbol: Symbol | str,
        interval: Interval | str,
        *,
        bars: int | None = None,
        start_ms: int | None = None,
        end_ms: int | None = None,
        on_round: RoundDone | None = None,
    ) -> HistoryResult:
        """Completed bars, ascending and de-duplicated: the newest `bars`, and/or [start, end).

        `on_round(bars_loaded)` is awaited after each round of the series (progress).

        429 on connect and dropped connections are retried with backoff up to
        `max_connect_attempts`; every other failure raises its typed error at once.
        """
        request = HistoryRequest(
            symbol=symbol if isinstance(symbol, Symbol) else Symbol.parse(symbol),
            interval=interval if isinstance(interval, Interval) else Interval.parse(interval),
            bars=bars,
            start_ms=start_ms,
            end_ms=end_ms,
        )
        s = self.settings
        backoff = Backoff(initial_s=s.backoff_initial_s, max_s=s.backoff_max_s)
        signed_in_again = False
        while True:
            try:
                return await self._fetch_once(request, on_round)
            except ProtocolRejected:
                # An expired or revoked token: sign in again, once (AuthTokens dropped it).
                if signed_in_again or not self.auth.signs_in:
                    raise
                signed_in_again = True
            except SignInError as exc:
                raise _naming(exc, str(request.symbol)) from exc
            except (RateLimited, ConnectionLost) as exc:
                if backoff.attempts + 1 >= s.max_connect_attempts:
                    raise _naming(exc, str(request.symbol)) from exc
                retry_after = exc.retry_after if isinstance(exc, RateLimited) else None
                delay = backoff.next_delay(at_least=retry_after or 0.0)
                log.warning("history %s: %s; retrying in %.1fs", request.symbol, exc, delay)
                await asyncio.sleep(delay)

    async def _fetch_once(
        self, request: HistoryRequest, on_round: RoundDone | None = None
    ) -> HistoryResult:
        s = self.settings
        token = await self.auth.token()
        conn = await TradingViewConnection.open(
            self._session(), s.url, origin=s.origin, timeout_s=s.connect_timeout_s
        )
        try:
            loader = HistoryLoader(conn, request, timeout_s=s.request_timeout_s, on_round=on_round)
            result = await loader.load(token)
            self.auth.worked(token)
            return result
        except ProtocolRejected:
            self.auth.invalidate(token)
            raise
        finally:
            await conn.close()

    def quote_stream(self, options: QuoteStreamOptions | None = None) -> QuoteStream:
        """A live quote stream on this client's HTTP session; start it with `async with`."""
        return QuoteStream(
            self.settings, options or QuoteStreamOptions(), http=self._session(), auth=self.auth
        )


def _naming(exc: TradingViewError, symbol: str) -> TradingViewError:
    """The same error with the symbol in its message (connection errors do not know it)."""
    if exc.symbol is not None:
        return exc
    message = str(exc)
    if isinstance(exc, RateLimited):
        return RateLimited(message, symbol=symbol, retry_after=exc.retry_after)
    return type(exc)(message, symbol=symbol)
