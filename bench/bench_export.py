"""Bulk export vs JSON pages: the same 288,000 1m bars read back through the gateway.

The stack `pq up` starts (NATS, Redis, query, gateway; free ports, temp data), with
288 BarSynced chunks of 1,000 bars published to PQ_BARS and projected. Each contender
is timed until the client holds the decoded bars (JSON pages: every page at the
maximum `limit` of 10,000, cursor by cursor, parsed; Arrow: `read_all`; Parquet:
`read_table`; CSV: pyarrow's CSV reader), three rounds, alternating. JSON pages are
the baseline. Best of three: every contender's later rounds come from the query
service's Redis cache (pages, or an export's chunks); first read: the store's reads.

The gateway's memory while it streams: its resident set sampled every 10 ms during the
first (store-read) and a cached Arrow export (13.8 MB of body each), beside its resident
set before the exports.
"""

from __future__ import annotations

import asyncio
import functools
import io
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from bench.harness import BenchRow
from pq_domain import Bar, Interval, Symbol
from pq_domain.events import BarSynced
from pq_domain.subjects import bars_synced_subject
from pq_runtime.envelope import Envelope
from pq_runtime.messaging import connect_nats
from tests.support.stack_runner import E2eStack, start_stack
from tests.support.waiting import wait_until

BARS = 288_000
CHUNK = 1000
T0 = 1_704_067_200_000
SYMBOL = Symbol("BENCH", "EXPORT")
PARAMS = {"symbol": str(SYMBOL), "interval": "1m"}
ROUNDS = 3
ARROW = "application/vnd.apache.arrow.stream"


async def _publish(nats_url: str) -> None:
    nc = await connect_nats(nats_url, name="bench-export")
    js = nc.jetstream()
    chunks = BARS // CHUNK
    subject = bars_synced_subject(SYMBOL, Interval.M1)
    for n in range(chunks):
        bars = tuple(
            Bar(T0 + i * 60_000, 100.0 + i % 13 / 7, 103.0, 99.0, 101.0 + i % 5 / 3, 1.0 + i)
            for i in range(n * CHUNK, (n + 1) * CHUNK)
        )
        event = BarSynced("bench-export", SYMBOL, Interval.M1, bars, chunk=n, chunks=chunks)
        envelope = Envelope.of(event, subject, correlation_id="bench-export")
        await js.publish(subject, envelope.payload, headers=envelope.headers())
    await nc.close()


def _json_pages(http: httpx.Client) -> int:
    count, cursor = 0, None
    while True:
        params: dict[str, str | int] = {**PARAMS, "limit": 10_000}
        if cursor:
            params["cursor"] = cursor
        page = http.get("/v1/bars", params=params).json()
        count += len(page["bars"])
        cursor = page["next_cursor"]
        if cursor is None:
            return count


def _export(http: httpx.Client, media_type: str) -> bytes:
    answer = http.get("/v1/bars", params=PARAMS, headers={"Accept": media_type})
    assert answer.status_code == 200, answer.text
    return answer.content


def _arrow(http: httpx.Client) -> int:
    return int(pa.ipc.open_stream(_export(http, ARROW)).read_all().num_rows)


def _parquet(http: httpx.Client) -> int:
    body = _export(http, "application/vnd.apache.parquet")
    return int(pq.read_table(io.BytesIO(body)).num_rows)


def _csv(http: httpx.Client) -> int:
    return int(pacsv.read_csv(io.BytesIO(_export(http, "text/csv"))).num_rows)


def _rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for {pid}")


def _peak_rss_while(pid: int, fn: Callable[[], int]) -> tuple[int, int]:
    """The peak resident set (KiB) of `pid` while `fn` runs, and what `fn` returned."""
    peak, done = _rss_kib(pid), threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _rss_kib(pid))
            time.sleep(0.01)

    sampler = threading.Thread(target=sample)
    sampler.start()
    try:
        result = fn()
    finally:
        done.set()
        sampler.join()
    return peak, result


def _gateway_pid(stack: E2eStack) -> int:
    assert stack.record is not None
    pid = next(c.pid for c in stack.record.processes if c.name == "gateway")
    assert pid is not None
    return pid


def _measure(stack: E2eStack) -> list[BenchRow]:
    http = httpx.Client(base_url=stack.gateway_url, headers=stack.auth_headers(), timeout=120)

    def projected() -> bool:
        page = http.get(f"/v1/symbols/{SYMBOL}")
        return page.status_code == 200 and any(c["bars"] == BARS for c in page.json()["intervals"])

    wait_until(projected, timeout=600, interval=0.5, what=f"{BARS} bars projected")
    contenders: dict[str, Callable[[httpx.Client], int]] = {
        "JSON pages": _json_pages, "Arrow": _arrow, "Parquet": _parquet, "CSV": _csv,
    }  # fmt: skip
    best = dict.fromkeys(contenders, float("inf"))
    cold: dict[str, float] = {}
    pid = _gateway_pid(stack)
    idle = _rss_kib(pid)
    cold_peak = 0
    for _ in range(ROUNDS):
        for name, read in contenders.items():
            started = time.perf_counter()
            if name == "Arrow" and name not in cold:  # the gateway while it relays from SQLite
                cold_peak, count = _peak_rss_while(pid, functools.partial(read, http))
            else:
                count = read(http)
            assert count == BARS, name
            took = time.perf_counter() - started
            cold.setdefault(name, took)
            best[name] = min(best[name], took)
    rate = {name: BARS / seconds for name, seconds in best.items()}
    peak, _ = _peak_rss_while(pid, functools.partial(_arrow, http))
    http.close()
    rows = [
        BenchRow(f"export {BARS:,} 1m bars via gateway ({name})", rate[name], "bars/s",
                 "JSON pages (limit 10,000)", rate["JSON pages"],
                 target=">= 10x" if name == "Arrow" else "")
        for name in ("Arrow", "Parquet", "CSV")
    ]  # fmt: skip
    rows += [
        BenchRow(f"export {BARS:,} 1m bars, first read, no cache ({name})", BARS / cold[name],
                 "bars/s", "JSON pages, first read", BARS / cold["JSON pages"])
        for name in ("Arrow", "Parquet", "CSV")
    ]  # fmt: skip
    rows += [
        BenchRow("gateway RSS peak, first Arrow export (13.8 MB body)", cold_peak / 1024, "MiB",
                 "gateway RSS before the exports", idle / 1024, higher_is_better=False),
        BenchRow("gateway RSS peak, cached Arrow export", peak / 1024, "MiB",
                 "gateway RSS before the exports", idle / 1024, higher_is_better=False),
    ]  # fmt: skip
    return rows


def run() -> list[BenchRow]:
    with tempfile.TemporaryDirectory(prefix="pq-bench-export-") as folder:
        stack = start_stack(
            Path(folder),
            PQ_STACK_ONLY="nats-server,redis-server,query,gateway",
            PQ_RATE_LIMIT_READS="100000/60",
        )
        try:
            asyncio.run(_publish(stack.nats_url))
            return _measure(stack)
        finally:
            stack.stop()
