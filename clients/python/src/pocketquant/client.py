"""`Client`: the blocking client. `AsyncClient` (async_client.py) is its asyncio twin."""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from types import TracebackType
from typing import Any

import httpx

from .events import StreamEvent
from .frames import Output
from .job import Job
from .models import JobInfo, Quote, Subscription, SymbolInfo
from .protocol import jobs, market
from .protocol.bars import SyncMode
from .session import Session
from .times import TimeLike
from .transport import run_flow


class Client(Session):
    """A PocketQuant gateway client.

    `url` and `api_key` default to `PQ_URL` and `PQ_API_KEY`, else to the local
    `make up` stack (`.pq/stack.json`, `.pq/dev-api-key`).

        import pocketquant
        client = pocketquant.Client()
        df = client.bars("NASDAQ:NVDA", "1d", start="2025-01-01", end="2025-07-01")
        df.close.tail()
    """

    def __init__(
        self,
        url: str | None = None,
        api_key: str | None = None,
        *,
        timeout: float = 30.0,
        max_retries: int = 3,
        http: httpx.Client | None = None,
    ) -> None:
        """`timeout` is per request (seconds); `max_retries` bounds the retries of 429
        and 503 answers; `http` is an httpx.Client of yours (proxies, certificates,
        event hooks), which `close()` leaves open."""
        super().__init__(url, api_key, max_retries=max_retries)
        self._owns_http = http is None
        self._http = http or httpx.Client(timeout=timeout)

    def close(self) -> None:
        if self._owns_http:
            self._http.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def bars(
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
        """Bars of [start, end) as a DataFrame: a UTC DatetimeIndex `time`, float columns
        `open high low close volume`. `output="polars"` gives a polars DataFrame (a `time`
        column), `"arrow"` a pyarrow Table, `"rows"` a list of `BarRow` tuples (no extra).

        `sync="auto"` first syncs what the read model does not cover and waits for it;
        `"never"` only reads, `"always"` syncs the whole range again. `limit` reads at
        most that many bars. Ranges come through the gateway's Arrow export when pyarrow
        is installed, else through JSON pages.

            df = client.bars("BINANCE:BTCUSDT", "1h", start="2025-06-01")
            pl_df = client.bars("NASDAQ:NVDA", "1d", "2025-01-01", "2025-07-01", output="polars")
        """
        with self._progress(progress) as bar:
            flow = self._bars_flow(symbol, interval, start, end, sync, output, limit, bar)
            return self._convert(run_flow(self._http, flow), output)

    def sync(
        self,
        symbol: str,
        interval: str,
        *,
        bars: int | None = None,
        start: TimeLike | None = None,
        end: TimeLike | None = None,
    ) -> Job:
        """Ask the gateway to sync history: the latest `bars` bars, or [start, end).

        job = client.sync("NASDAQ:AAPL", "1h", bars=5000).wait(progress=True)
        """
        body = jobs.sync_body(symbol, interval, bars=bars, start=start, end=end)
        return self._job(run_flow(self._http, jobs.create_job(self._api, body)))

    def job(self, job_id: str) -> Job:
        """One sync job's current state (`NotFound` if there is none)."""
        return self._job(run_flow(self._http, jobs.get_job(self._api, job_id)))

    def jobs(
        self, *, status: str | None = None, symbol: str | None = None, limit: int | None = 50
    ) -> list[Job]:
        """Sync jobs, newest first (`limit=None`: all). `NotSupported` on a gateway that
        cannot list them."""
        flow = jobs.list_jobs(self._api, status=status, symbol=symbol, limit=limit)
        return [self._job(info) for info in run_flow(self._http, flow)]

    def wait(
        self,
        job: JobInfo | str,
        *,
        progress: bool = False,
        timeout: float | None = None,
        raise_on_failure: bool = False,
    ) -> Job:
        """Wait for a job (or a job id) to finish; see `Job.wait`."""
        info = self.job(job) if isinstance(job, str) else job
        with self._progress(progress) as bar:
            flow = self._wait_flow(info, bar, timeout, raise_on_failure)
            return self._job(run_flow(self._http, flow))

    def quote(self, symbol: str) -> Quote:
        """The latest quote (`NotFound` until the symbol was watched and quoted)."""
        return run_flow(self._http, market.get_quote(self._api, symbol))

    def symbols(self) -> list[SymbolInfo]:
        """Tracked symbols, each with the ranges it covers per interval."""
        return run_flow(self._http, market.list_symbols(self._api))

    def watch(self, symbol: str) -> Subscription:
        """Add `symbol` to the live watchlist (quotes start flowing); idempotent."""
        return run_flow(self._http, market.watch(self._api, symbol))

    def unwatch(self, symbol: str) -> None:
        """Remove `symbol` from the live watchlist (`NotFound` if it is not on it)."""
        run_flow(self._http, market.unwatch(self._api, symbol))

    def watchlist(self) -> list[Subscription]:
        """The symbols on the live watchlist."""
        return run_flow(self._http, market.watchlist(self._api))

    def stream(
        self,
        symbols: str | Iterable[str],
        *,
        last_event_id: str | None = None,
        jobs: bool = False,
    ) -> Iterator[StreamEvent]:
        """Live `QuoteEvent`s and `BarEvent`s of watched symbols, forever.

        A dropped connection is reopened with `Last-Event-ID`, so the completed bars
        published meanwhile still arrive, in order and once. `jobs=True` also yields
        `JobEvent`s (sync progress and ends) where the gateway sends them.

            for event in client.stream(["BINANCE:BTCUSDT"]):
                print(event)
        """
        session = self._stream_session(symbols, last_event_id, jobs, self._http.timeout.connect)
        while True:
            request = session.request()
            try:
                response = self._http.send(request, stream=True)
            except httpx.TransportError as exc:
                time.sleep(session.after_failure(request, exc))
                continue
            try:
                if response.status_code >= 400:
                    response.read()
                    time.sleep(session.after_refusal(response))
                    continue
                session.opened()
                for line in response.iter_lines():
                    event = session.on_line(line)
                    if event is not None:
                        yield event
            except httpx.TransportError:
                pass  # a drop: reconnect below
            finally:
                response.close()
            time.sleep(session.backoff_s())

    def _job(self, info: JobInfo) -> Job:
        return Job(**info.state(), client=self)
