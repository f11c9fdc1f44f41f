"""What the read model must hold after a live run, derived from the stored events alone.

- `reference_rows`: bars computed independently from the raw QuoteReceived messages of
  PQ_QUOTES (tests/unit/domain/reference.py: sort by event time, group by bucket).
- `live_windows`: per symbol, its first and last quote time; a bucket is *live-covered*
  when it starts at or after the first quote and its end + grace is at or before the last.
- `completed_rows` / `synced_rows`: the final BarCompleted (highest revision) and the
  latest BarSynced bar per key, read from PQ_BARS.
- `expected_read_model`: the query reconcile rule (services/query/README.md): a synced bar
  wins over a live bar of the same key.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from pq_domain import AggregatorConfig, Interval, Quote, Symbol, bucket_bounds, default_session
from tests.support.jetstream_log import StoredMessage
from tests.support.sim_reference import BarRow
from tests.unit.domain.reference import reference_bars

LIVE_INTERVALS = ("1m", "5m", "15m", "1h")
GRACE_MS = 2_000  # bar-builder's default PQ_GRACE_MS
LATENESS_MS = 60_000  # bar-builder's default PQ_LATENESS_MS
BarKey = tuple[str, str, int]  # symbol, interval, t (epoch ms)


@dataclass(frozen=True)
class Window:
    first_ts: int
    last_ts: int
    quotes: int


def quotes_of(messages: Iterable[StoredMessage]) -> list[Quote]:
    """QuoteReceived payloads as domain quotes, in stream (= arrival) order."""
    return [
        Quote(Symbol.parse(p["symbol"]), float(p["price"]), float(p["volume"]), int(p["ts"]))
        for p in (m.payload for m in messages)
    ]


def live_windows(quotes: Iterable[Quote]) -> dict[str, Window]:
    windows: dict[str, Window] = {}
    for q in quotes:
        key = str(q.symbol)
        w = windows.get(key)
        windows[key] = (
            Window(q.ts, q.ts, 1)
            if w is None
            else Window(min(w.first_ts, q.ts), max(w.last_ts, q.ts), w.quotes + 1)
        )
    return windows


def live_covered(key: BarKey, windows: Mapping[str, Window], grace_ms: int = GRACE_MS) -> bool:
    symbol, interval, t = key
    window = windows.get(symbol)
    if window is None:
        return False
    parsed = Symbol.parse(symbol)
    session = default_session(parsed.exchange, parsed.code)
    start, end = bucket_bounds(Interval.parse(interval), t, session)
    return start >= window.first_ts and end + grace_ms <= window.last_ts


def reference_rows(
    quotes: Sequence[Quote],
    intervals: Sequence[str] = LIVE_INTERVALS,
    lateness_ms: int = LATENESS_MS,
) -> dict[BarKey, BarRow]:
    """`lateness_ms`: the bar-builder's PQ_LATENESS_MS in the audited stack, since quotes
    reach it in stream order and a quote stored behind newer ones counts only within it."""
    config = AggregatorConfig(
        intervals=tuple(Interval.parse(i) for i in intervals), lateness_ms=lateness_ms
    )
    reference = reference_bars(quotes, config, lambda s: default_session(s.exchange, s.code))
    return {
        (str(symbol), interval.value, t): (t, b.o, b.h, b.l, b.c, b.v)
        for (symbol, interval, t), b in reference.bars.items()
    }


def completed_rows(messages: Iterable[StoredMessage]) -> dict[BarKey, BarRow]:
    """The highest revision of every BarCompleted key."""
    best: dict[BarKey, tuple[int, BarRow]] = {}
    for m in messages:
        if m.headers.get("Pq-Event-Type") != "BarCompleted":
            continue
        p = m.payload
        key = (p["symbol"], p["interval"], int(p["t"]))
        row = (int(p["t"]), p["o"], p["h"], p["l"], p["c"], p["v"])
        if key not in best or p["revision"] > best[key][0]:
            best[key] = (int(p["revision"]), row)
    return {key: row for key, (_, row) in best.items()}


def synced_rows(messages: Iterable[StoredMessage]) -> dict[BarKey, BarRow]:
    """The bar of the latest BarSynced (highest stream sequence) for every key."""
    rows: dict[BarKey, BarRow] = {}
    for m in messages:
        if m.headers.get("Pq-Event-Type") != "BarSynced":
            continue
        p = m.payload
        for b in p["bars"]:
            rows[(p["symbol"], p["interval"], int(b["t"]))] = (
                int(b["t"]),
                b["o"],
                b["h"],
                b["l"],
                b["c"],
                b["v"],
            )
    return rows


def expected_read_model(
    reference: Mapping[BarKey, BarRow], synced: Mapping[BarKey, BarRow]
) -> dict[BarKey, BarRow]:
    return {**reference, **synced}


def duplicate_deliveries(messages: Iterable[StoredMessage]) -> dict[str, list[str]]:
    """Nats-Msg-Ids stored twice, and BarCompleted (symbol, interval, t, revision) twice."""
    ids: Counter[str] = Counter()
    revisions: Counter[str] = Counter()
    for m in messages:
        ids[m.headers.get("Nats-Msg-Id", f"<none at {m.seq}>")] += 1
        if m.headers.get("Pq-Event-Type") == "BarCompleted":
            p = m.payload
            revisions[f"{p['symbol']} {p['interval']} {p['t']} r{p['revision']}"] += 1
    return {
        "Nats-Msg-Id": [i for i, n in ids.items() if n > 1],
        "BarCompleted key+revision": [k for k, n in revisions.items() if n > 1],
    }


def same_bar(a: BarRow, b: BarRow) -> bool:
    """Equal t and OHLC; volume equal up to float summation order."""
    return a[:5] == b[:5] and math.isclose(a[5], b[5], rel_tol=1e-9, abs_tol=1e-6)


def differences(
    got: Mapping[BarKey, BarRow], expected: Mapping[BarKey, BarRow], label: str
) -> list[str]:
    """Readable problems: keys missing, keys extra, bars that differ (a few of each)."""
    missing = sorted(set(expected) - set(got))
    extra = sorted(set(got) - set(expected))
    wrong = sorted(k for k in set(got) & set(expected) if not same_bar(got[k], expected[k]))
    problems = []
    if missing:
        problems.append(f"{label}: {len(missing)} bars missing, e.g. {missing[:4]}")
    if extra:
        problems.append(f"{label}: {len(extra)} bars not expected, e.g. {extra[:4]}")
    if wrong:
        shown = [(k, got[k], expected[k]) for k in wrong[:3]]
        problems.append(f"{label}: {len(wrong)} bars differ (key, got, expected): {shown}")
    return problems


def restrict(
    rows: Mapping[BarKey, BarRow], windows: Mapping[str, Window], intervals: Sequence[str]
) -> dict[BarKey, BarRow]:
    """The rows of live-covered buckets of `intervals`."""
    return {k: r for k, r in rows.items() if k[1] in intervals and live_covered(k, windows)}
