"""Load one symbol's history over an open connection: resolve, create series, page older."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import Any

from pq_domain import Bar

from . import messages
from .connection import TradingViewConnection
from .errors import (
    ConnectionLost,
    CriticalError,
    NoData,
    ProtocolRejected,
    RequestTimeout,
    SeriesRejected,
    SymbolNotFound,
)
from .history_request import MAX_BARS_PER_ROUND, HistoryRequest, HistoryResult
from .messages import is_for_session
from .resolution import resolution_of
from .series_bars import BarRepairs, bars_of_series
from .symbol_meta import SymbolMeta

SYMBOL_ID = "sds_sym_1"
SERIES_ID = "sds_1"
MAX_ROUNDS = 400  # 2M bars: far beyond any plan, only a guard against a server that never ends


RoundDone = Callable[[int], Awaitable[None]]  # bars loaded so far, after each round


class HistoryLoader:
    def __init__(
        self,
        connection: TradingViewConnection,
        request: HistoryRequest,
        *,
        timeout_s: float,
        on_round: RoundDone | None = None,
    ) -> None:
        self._on_round = on_round
        self._conn = connection
        self._req = request
        self._timeout_s = timeout_s
        self._chart = messages.new_session_id("cs_")
        self._symbol = str(request.symbol)
        self._bars: dict[int, Bar] = {}
        self._repairs = BarRepairs()
        self._meta: SymbolMeta | None = None
        self._newest_close_ms: int | None = None
        self._server_now_ms: int | None = None
        self._rounds = 0
        self._added_this_round = 0

    async def load(self, token: str) -> HistoryResult:
        resolution = resolution_of(self._req.interval)
        await self._send(
            messages.set_auth_token(token),
            messages.chart_create_session(self._chart),
            messages.switch_timezone(self._chart, "Etc/UTC"),
            messages.resolve_symbol(self._chart, SYMBOL_ID, self._symbol),
            messages.create_series(
                self._chart, SERIES_ID, SYMBOL_ID, resolution, self._first_range()
            ),
        )
        while True:
            await self._until_series_completed()
            self._rounds += 1
            if not self._bars:
                raise NoData("the series completed without any bar", symbol=self._symbol)
            if self._on_round is not None:
                await self._on_round(len(self._bars))
            if self._is_satisfied() or self._rounds >= MAX_ROUNDS:
                return self._result()
            self._added_this_round = 0
            await self._send(messages.request_more_data(self._chart, SERIES_ID, self._more_count()))

    async def _send(self, *frames: str) -> None:
        try:
            for frame in frames:
                await self._conn.send(frame)
        except ConnectionLost:
            # A bad token gets protocol_error then a close, which can beat our later sends;
            # reading on reports the server's reason, or the ConnectionLost itself.
            pass

    def _first_range(self) -> int | list[Any]:
        """A bar count from now; or, for a range that ended a while ago, the n bars up to its
        end (`["bar_count", to_ts, n]`), rather than every bar since then, page by page."""
        req, now_ms = self._req, time.time() * 1000
        if (
            req.end_ms is None
            or not req.interval.is_intraday
            or req.end_ms > now_ms - 2 * req.interval.millis
        ):
            return self._first_count(now_ms, up_to_end=False)
        count = self._first_count(req.end_ms, up_to_end=True)
        return ["bar_count", (req.end_ms - 1) // 1000, count]

    def _first_count(self, until_ms: float, *, up_to_end: bool) -> int:
        req = self._req
        wanted = MAX_BARS_PER_ROUND
        if req.bars is not None and (req.end_ms is None or up_to_end):
            wanted = req.bars + 1  # + the forming bar the server includes
        elif req.start_ms is not None and req.interval.is_intraday:
            # an upper bound (sessions only remove bars); paging covers a server clock ahead of ours
            span = until_ms - req.start_ms
            wanted = max(2, int(span // req.interval.millis) + 2)
        return min(MAX_BARS_PER_ROUND, wanted)

    def _more_count(self) -> int:
        if self._req.bars is None:
            return MAX_BARS_PER_ROUND
        return max(1, min(MAX_BARS_PER_ROUND, self._req.bars - len(self._wanted_completed())))

    async def _until_series_completed(self) -> None:
        deadline = time.monotonic() + self._timeout_s
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise RequestTimeout(
                    f"series did not complete within {self._timeout_s:.0f}s", symbol=self._symbol
                )
            try:
                packets = await self._conn.receive(remaining)
            except RequestTimeout as exc:
                raise RequestTimeout(str(exc), symbol=self._symbol) from None
            for packet in packets:
                if self._handle(packet):
                    return

    def _handle(self, packet: dict[str, Any]) -> bool:
        """Apply one packet; True once the current round's `series_completed` arrived."""
        method, params = packet.get("m"), packet.get("p")
        if not isinstance(params, list):
            return False
        if isinstance(packet.get("t_ms"), int):
            self._server_now_ms = packet["t_ms"]
        if method == "protocol_error":
            raise ProtocolRejected(f"protocol_error: {_reason(params, 0)}", symbol=self._symbol)
        if method == "critical_error" and is_for_session(params, self._chart):
            # [session_id, name, description]: this request failed; a session's error does
            # not end the connection (the real server keeps it), but the request is over.
            raise CriticalError(f"critical_error: {_reason(params, 1, 2)}", symbol=self._symbol)
        if not params or params[0] != self._chart:
            return False  # another session's packet
        if method == "symbol_error":
            raise SymbolNotFound(f"symbol_error: {_reason(params, 2)}", symbol=self._symbol)
        if method == "series_error":
            reason = _reason(params, 3)
            error = SymbolNotFound if "resolve" in reason else SeriesRejected
            raise error(f"series_error: {reason}", symbol=self._symbol)
        if method == "symbol_resolved" and len(params) > 2 and isinstance(params[2], dict):
            self._meta = SymbolMeta.from_resolved(self._symbol, params[2])
        elif method == "timescale_update" and len(params) > 1 and isinstance(params[1], dict):
            self._add_bars(params[1])
        elif method == "series_completed":
            return len(params) > 1 and params[1] == SERIES_ID
        return False

    def _add_bars(self, payload: dict[str, Any]) -> None:
        chunk = bars_of_series(payload, SERIES_ID, self._repairs)
        if chunk is None or not chunk.bars:
            return
        if self._rounds == 0 and chunk.bar_close_time_ms is not None:
            self._newest_close_ms = chunk.bar_close_time_ms
        for bar in chunk.bars:
            if bar.t not in self._bars:  # servers repeat bars across rounds
                self._added_this_round += 1
            self._bars[bar.t] = bar

    def _forming_t(self) -> int | None:
        newest = max(self._bars)
        if self._newest_close_ms is None:
            if not self._req.interval.is_intraday:
                return None
            close_ms = newest + self._req.interval.millis
        else:
            close_ms = self._newest_close_ms
        now_ms = self._server_now_ms if self._server_now_ms is not None else time.time() * 1000
        return newest if close_ms > now_ms else None

    def _wanted_completed(self) -> list[int]:
        forming = self._forming_t()
        return sorted(t for t in self._bars if t != forming and self._req.wants(t))

    def _is_satisfied(self) -> bool:
        if self._rounds > 1 and self._added_this_round == 0:
            return True  # a round that adds nothing: the history is exhausted
        if self._req.start_ms is not None and min(self._bars) <= self._req.start_ms:
            return True
        return self._req.bars is not None and len(self._wanted_completed()) >= self._req.bars

    def _result(self) -> HistoryResult:
        if self._meta is None:
            raise NoData("the series completed but the symbol never resolved", symbol=self._symbol)
        times = self._wanted_completed()
        if self._req.bars is not None:
            times = times[-self._req.bars :]
        forming = self._forming_t()
        return HistoryResult(
            symbol=self._req.symbol,
            interval=self._req.interval,
            bars=[self._bars[t] for t in times],
            meta=self._meta,
            forming=self._bars[forming] if forming is not None else None,
            rounds=self._rounds,
            widened_bars=self._repairs.widened,
            dropped_bars=self._repairs.dropped,
        )


def _reason(params: list[Any], *indexes: int) -> str:
    parts = [str(params[i]) for i in indexes if i < len(params)]
    return ", ".join(parts) or "no reason given"
