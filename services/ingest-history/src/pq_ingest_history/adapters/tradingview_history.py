"""HistorySource over the TradingView client: its typed errors sorted into transient/permanent."""

from __future__ import annotations

import time

from opentelemetry import trace

from pq_domain.events import SymbolResolved
from pq_tradingview import (
    ConnectionLost,
    RateLimited,
    RequestTimeout,
    SymbolMeta,
    TradingViewClient,
    TradingViewError,
)

from ..ports import (
    FetchedHistory,
    HistoryQuery,
    PermanentFetchError,
    Progress,
    TransientFetchError,
)

# Worth another try: the provider was slow, dropped us, or asked us to slow down.
# Everything else the client raises (SymbolNotFound, SeriesRejected, NoData, CriticalError,
# ProtocolRejected, FrameError) will fail the same way again.
TRANSIENT = (ConnectionLost, RateLimited, RequestTimeout)
_tracer = trace.get_tracer("pq_ingest_history")


class TradingViewHistory:
    def __init__(self, client: TradingViewClient) -> None:
        self._client = client

    async def fetch(
        self, query: HistoryQuery, on_progress: Progress | None = None
    ) -> FetchedHistory:
        """One attempt, one CLIENT span (the retries around it are spans of their own)."""
        symbol = str(query.symbol)
        try:
            with _tracer.start_as_current_span(
                "tradingview fetch_history",
                kind=trace.SpanKind.CLIENT,
                attributes={"pq.symbol": symbol, "pq.interval": query.interval.value},
            ) as span:
                result = await self._client.fetch_history(
                    query.symbol,
                    query.interval,
                    bars=query.bars,
                    start_ms=query.start_ms,
                    end_ms=query.end_ms,
                    on_round=on_progress,
                )
                span.set_attribute("pq.bars", len(result.bars))
        except TRANSIENT as exc:
            raise TransientFetchError(_naming(symbol, exc)) from exc
        except TradingViewError as exc:
            raise PermanentFetchError(_naming(symbol, exc)) from exc
        except ValueError as exc:  # the request itself is invalid (HistoryRequest's checks)
            raise PermanentFetchError(f"{symbol}: invalid request: {exc}") from exc
        meta = result.meta
        return FetchedHistory(
            bars=tuple(result.bars),
            symbol_info=symbol_resolved(query, meta),
            session=meta.session,
            timezone=meta.timezone,
        )


def symbol_resolved(query: HistoryQuery, meta: SymbolMeta) -> SymbolResolved:
    return SymbolResolved(
        symbol=query.symbol,
        description=meta.description,
        type=meta.type,
        currency=meta.currency or "",
        exchange=meta.exchange,
        timezone=meta.timezone,
        session=meta.session,
        pricescale=meta.pricescale,
        delayed=meta.delayed,
        at=int(time.time() * 1000),
    )


def _naming(symbol: str, exc: Exception) -> str:
    """The error's message, starting with the symbol (the job's error must name it)."""
    message = str(exc) or type(exc).__name__
    return message if symbol in message else f"{symbol}: {message}"
