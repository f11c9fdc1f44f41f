"""`AsyncClient`: `Client` for asyncio. The same flows drive both (protocol/), so each
method here only awaits what `Client`'s counterpart blocks on."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterable
from types import TracebackType
from typing import Any

import httpx

from .events import StreamEvent
from .frames import Output
from .job import AsyncJob
from .models import JobInfo, Quote, Subscription, SymbolInfo
from .protocol import jobs, market
from .protocol.bars import SyncMode
from .session import Session
from .times import TimeLike
from .transport import run_flow_async


class AsyncClient(Session):
    """The asyncio twin of `Client`, method for method.

    async with pocketquant.AsyncClient() as client:
        df = await client.bars("NASDAQ:NVDA", "1d", start="2025-01-01", end="2025-07-01")
        async for event in client.stream(["BINANCE:BTCUSDT"]):
            print(event)
    """

    def __init__(
        self,
        url: str | None = None,
        api_key: str | None = None,
        *,
        timeout: float = 30.0,
        max_retries: int = 3,
        http: httpx.AsyncClient | None = None,
    ) -> None:
        super().__init__(url, api_key, max_retries=max_retries)
        self._owns_http = http is None
        self._http = http or httpx.AsyncClient(timeout=timeout)

    async def aclose(self) -> None:
        if self._owns_http:
            await self._http.aclose()

    async def __aenter__(self) -> AsyncClient:
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()

    async def bars(
        self,
        symbol: str,
        interval: str,
        start: TimeLike | None = None,
        end: TimeLike | None = None,
        *,
        sync: SyncMode = "auto",
        output: Output = "pandas",
        limit: int | None = None,
        progress: bool = False,
    ) -> Any:
        """See `Client.bars`."""
        with self._progress(progress) as bar:
            flow = self._bars_flow(symbol, interval, start, end, sync, output, limit, bar)
            data = await run_flow_async(self._http, flow)
        return self._convert(data, output)

    async def sync(
        self,
        symbol: str,
        interval: str,
        *,
        bars: int | None = None,
        start: TimeLike | None = None,
        end: TimeLike | None = None,
    ) -> AsyncJob:
        """See `Client.sync`."""
        body = jobs.sync_body(symbol, interval, bars=bars, start=start, end=end)
        return self._job(await run_flow_async(self._http, jobs.create_job(self._api, body)))

    async def job(self, job_id: str) -> AsyncJob:
        return self._job(await run_flow_async(self._http, jobs.get_job(self._api, job_id)))

    async def jobs(
        self, *, status: str | None = None, symbol: str | None = None, limit: int | None = 50
    ) -> list[AsyncJob]:
        flow = jobs.list_jobs(self._api, status=status, symbol=symbol, limit=limit)
        return [self._job(info) for info in await run_flow_async(self._http, flow)]

    async def wait(
        self,
        job: JobInfo | str,
        *,
        progress: bool = False,
        timeout: float | None = None,  # noqa: ASYNC109 - the twin of Client.wait's
        raise_on_failure: bool = False,
    ) -> AsyncJob:
        info = await self.job(job) if isinstance(job, str) else job
        with self._progress(progress) as bar:
            flow = self._wait_flow(info, bar, timeout, raise_on_failure)
            return self._job(await run_flow_async(self._http, flow))

    async def quote(self, symbol: str) -> Quote:
        return await run_flow_async(self._http, market.get_quote(self._api, symbol))

    async def symbols(self) -> list[SymbolInfo]:
        return await run_flow_async(self._http, market.list_symbols(self._api))

    async def watch(self, symbol: str) -> Subscription:
        return await run_flow_async(self._http, market.watch(self._api, symbol))

    async def unwatch(self, symbol: str) -> None:
        await run_flow_async(self._http, market.unwatch(self._api, symbol))

    async def watchlist(self) -> list[Subscription]:
        return await run_flow_async(self._http, market.watchlist(self._api))

    async def stream(
        self,
        symbols: str | Iterable[str],
        *,
        last_event_id: str | None = None,
        jobs: bool = False,
    ) -> AsyncIterator[StreamEvent]:
        """See `Client.stream`."""
        session = self._stream_session(symbols, last_event_id, jobs, self._http.timeout.connect)
        while True:
            request = session.request()
            try:
                response = await self._http.send(request, stream=True)
            except httpx.TransportError as exc:
                await asyncio.sleep(session.after_failure(request, exc))
                continue
            try:
                if response.status_code >= 400:
                    await response.aread()
                    await asyncio.sleep(session.after_refusal(response))
                    continue
                session.opened()
                async for line in response.aiter_lines():
                    event = session.on_line(line)
                    if event is not None:
                        yield event
            except httpx.TransportError:
                pass  # a drop: reconnect below
            finally:
                await response.aclose()
            await asyncio.sleep(session.backoff_s())

    def _job(self, info: JobInfo) -> AsyncJob:
        return AsyncJob(**info.state(), client=self)
