"""Drive live quotes through a stack: a past trading day at a high speed, a watchlist, quiet.

The simulator starts on a recent past weekday at 15:00 UTC, when every chosen symbol
trades (crypto 24x7, FX, gold, CME futures, US stocks from 14:30 UTC), and runs faster than
the wall clock. The start is far enough in the past that the simulated clock never passes
the real one during a run (ingest-history refuses bars that end after the real now).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime, timedelta

import httpx
from nats.aio.client import Client

from pq_domain import Interval, Symbol, bucket_end, default_session
from tests.support.pq_rest import epoch_ms
from tests.support.stack_probe import (
    consumers_behind,
    metric,
    outbox_backlog,
    sim_event_time_ms,
)
from tests.support.stack_runner import E2eStack
from tests.support.waiting import wait_for, wait_until

LiveStackFactory = Callable[..., E2eStack]  # (name, **env overrides) -> a started stack

# 20 symbols trading at 15:00-20:00 UTC on a weekday; futures are 10 min delayed (anonymous).
REALTIME_SYMBOLS = (
    "BINANCE:BTCUSDT",
    "BINANCE:ETHUSDT",
    "BINANCE:SOLUSDT",
    "BINANCE:XRPUSDT",
    "BINANCE:PEPEUSDT",
    "FX:EURUSD",
    "FX:GBPUSD",
    "FX:USDJPY",
    "FX:AUDUSD",
    "OANDA:XAUUSD",
    "CME_MINI:ES1!",
    "CME_MINI:NQ1!",
    "NYMEX:CL1!",
    "COMEX:GC1!",
    "NASDAQ:AAPL",
    "NASDAQ:MSFT",
    "NASDAQ:NVDA",
    "NYSE:BRK.B",
    "NYSE:JPM",
    "SP:SPX",
)
GRACE_MARGIN_MS = 10_000  # past bar-builder's grace (2 s): the last hour is closed


def past_session_start(now: datetime, span: timedelta) -> datetime:
    """The latest weekday 15:00 UTC from which `span` of simulated time ends an hour before now."""
    start = now.astimezone(UTC).replace(hour=15, minute=0, second=0, microsecond=0)
    while start.weekday() >= 5 or start + span + timedelta(hours=1) > now:
        start -= timedelta(days=1)
    return start


def live_overrides(speed: float, span: timedelta, **extra: str) -> dict[str, str]:
    """Stack environment for a live run; writes allow a whole watchlist at once."""
    start = past_session_start(datetime.now(UTC), span)
    return {
        "PQ_TVSIM_SPEED": str(speed),
        "PQ_TVSIM_START": start.isoformat(),
        "PQ_RATE_LIMIT_WRITES": "2000/60",
        **extra,
    }


def subscribe(client: httpx.Client, symbols: Iterable[str]) -> None:
    for symbol in symbols:
        response = client.put(f"/v1/stream/subscriptions/{symbol}")
        assert response.status_code in (200, 201), f"PUT {symbol}: {response.text}"


def unsubscribe(client: httpx.Client, symbols: Iterable[str]) -> None:
    for symbol in symbols:
        response = client.delete(f"/v1/stream/subscriptions/{symbol}")
        assert response.status_code == 204, f"DELETE {symbol}: {response.text}"
    listed = client.get("/v1/stream/subscriptions").json()["subscriptions"]
    assert listed == [], f"watchlist not empty after unsubscribing: {listed}"


def wait_quotes_past(
    client: httpx.Client,
    symbols: tuple[str, ...],
    past: Mapping[str, int] | int,
    timeout: float,
    what: str,
) -> dict[str, int]:
    """Poll each symbol's latest quote (GET /v1/quotes/{symbol}) until its time (epoch ms)
    reaches `past` (one for all, or per symbol); returns the latest quote times. Answers
    other than 200 (not yet quoted, a dependency restarting) count as "not yet"."""
    latest: dict[str, int] = {}

    def threshold(symbol: str) -> int:
        return past if isinstance(past, int) else past[symbol]

    def reached() -> bool:
        for symbol in symbols:
            response = client.get(f"/v1/quotes/{symbol}")
            if response.status_code == 200:
                latest[symbol] = epoch_ms(response.json()["ts"])
        return all(latest.get(s, -1) >= threshold(s) for s in symbols)

    try:
        wait_until(reached, timeout=timeout, interval=2.0, what=what)
    except AssertionError:
        behind = {s: (_hhmm(latest.get(s)), _hhmm(threshold(s))) for s in symbols}
        raise AssertionError(f"no {what} in {timeout}s; (latest, wanted): {behind}") from None
    return latest


def whole_hours_after(first: Mapping[str, int], hours: int) -> dict[str, int]:
    """Per symbol, the quote time by which `hours` whole 1h buckets (on the symbol's
    session grid: US stocks open theirs at :30) lie after `first`."""
    wanted: dict[str, int] = {}
    for name, ts in first.items():
        symbol = Symbol.parse(name)
        session = default_session(symbol.exchange, symbol.code)
        end = bucket_end(Interval.H1, ts, session)  # the first whole bucket opens here
        for _ in range(hours):
            end = bucket_end(Interval.H1, end, session)
        wanted[name] = end + GRACE_MARGIN_MS
    return wanted


def advance_sim(stack: E2eStack, minutes: float, timeout: float = 60.0) -> None:
    """Wait until the simulator's clock moved `minutes` of market time on from now."""
    now = wait_until(lambda: _sim_now(stack), timeout=timeout, interval=0.5, what="sim clock")
    target = now + int(minutes * 60_000)
    wait_until(
        lambda: _sim_now(stack) >= target,
        timeout=timeout,
        interval=0.5,
        what=f"{minutes} simulated minutes",
    )


def _sim_now(stack: E2eStack) -> int:
    try:
        return sim_event_time_ms(stack)
    except httpx.HTTPError:  # busy serving a burst of history: ask again
        return 0


def _hhmm(ms: int | None) -> str:
    return "none" if ms is None else f"{datetime.fromtimestamp(ms / 1000, UTC):%H:%M:%S}"


async def wait_quiet(stack: E2eStack, nc: Client, within: float = 90.0) -> float:
    """After the flow stopped, wait until everything the quotes caused has reached the read
    model: twice in a row no new quote, every pipeline consumer caught up, no backfill
    queued or gap open, no unsent outbox row. (Bars closed later by the idle timeout may
    still come: they lie outside the audited window.) Returns the seconds it took."""
    began = time.monotonic()
    js = nc.jetstream()
    previous: list[object] = []
    last_state: dict[str, object] = {}

    async def quiet() -> bool:
        state: dict[str, object] = {
            "quotes seq": (await js.stream_info("PQ_QUOTES")).state.last_seq,
            "behind": await consumers_behind(nc),
            "backfill queued": metric(stack, "ingest-stream", "pq_stream_backfill_queued"),
            "gaps open": metric(stack, "ingest-stream", "pq_stream_gaps_open"),
            "outbox": outbox_backlog(stack, older_than_s=0),
        }
        last_state.clear()
        last_state.update(state)
        idle = not any(value for key, value in state.items() if key != "quotes seq")
        stable = idle and previous == [state]
        previous[:] = [state]
        return stable

    try:
        await wait_for(quiet, timeout=within, interval=1.0, what="the pipeline to go quiet")
    except AssertionError:
        raise AssertionError(
            f"pipeline not quiet after {within}s: {last_state}\n{stack.logs(25)}"
        ) from None
    return time.monotonic() - began
