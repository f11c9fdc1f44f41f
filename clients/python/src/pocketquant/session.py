"""What `Client` and `AsyncClient` share: the resolved connection, the request builder,
the sync memo, the bars and wait calls' arguments -> flow, and the stream's session."""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import AbstractContextManager, nullcontext
from typing import Any

from .frames import OUTPUTS, BarData, Output, convert, has_module, require
from .models import JobInfo
from .progress import JobProgressBar
from .protocol.api import Api
from .protocol.auto_sync import bars_flow
from .protocol.bars import BarsQuery, SyncMode
from .protocol.gaps import SyncMemo
from .protocol.jobs import wait_job
from .protocol.sse import StreamSession, symbol_list
from .protocol.steps import Flow, RetryPolicy
from .settings import resolve
from .times import TimeLike, to_ms


class Session:
    def __init__(self, url: str | None, api_key: str | None, *, max_retries: int) -> None:
        connection = resolve(url, api_key)
        self.url = connection.url
        self._api = Api(connection.url, connection.api_key, RetryPolicy(max_retries=max_retries))
        self._memo = SyncMemo()

    def __repr__(self) -> str:
        return f"{type(self).__name__}(url={self.url!r})"

    def _bars_flow(
        self,
        symbol: str,
        interval: str,
        start: TimeLike | None,
        end: TimeLike | None,
        sync: SyncMode,
        output: Output,
        limit: int | None,
        bar: JobProgressBar | None,
    ) -> Flow[BarData]:
        if output not in OUTPUTS:
            raise ValueError(f"output must be one of {', '.join(OUTPUTS)}, not {output!r}")
        if output != "rows":
            require("pyarrow" if output == "arrow" else output)  # fail before any sync
        query = BarsQuery(
            symbol=symbol.strip(),
            interval=interval,
            start_ms=None if start is None else to_ms(start),
            end_ms=None if end is None else to_ms(end),
            limit=limit,
        )
        return bars_flow(
            self._api,
            query,
            sync=sync,
            arrow=has_module("pyarrow"),
            memo=self._memo,
            on_update=bar.update if bar else None,
        )

    def _wait_flow(
        self,
        job: JobInfo,
        bar: JobProgressBar | None,
        timeout: float | None,
        raise_on_failure: bool,
    ) -> Flow[JobInfo]:
        return wait_job(
            self._api,
            job,
            on_update=bar.update if bar else None,
            timeout=timeout,
            raise_on_failure=raise_on_failure,
        )

    def _stream_session(
        self,
        symbols: str | Iterable[str],
        last_event_id: str | None,
        jobs: bool,
        connect_timeout_s: float | None,
    ) -> StreamSession:
        return StreamSession(
            self._api,
            symbol_list(symbols),
            last_event_id,
            jobs=jobs,
            connect_timeout_s=connect_timeout_s,
        )

    @staticmethod
    def _progress(enabled: bool) -> AbstractContextManager[JobProgressBar | None]:
        return JobProgressBar() if enabled else nullcontext(None)

    @staticmethod
    def _convert(data: BarData, output: Output) -> Any:
        return convert(data, output)
