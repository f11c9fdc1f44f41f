"""The SyncRequested commands that fill one gap in a symbol's quote stream.

A gap runs from the last quote seen before the interruption (`since_ms`; None for a symbol
we never streamed: then the initial window before `resume_ms`) to the event time at which
quotes flowed again (`resume_ms`). Every bar the gap touches, of every interval, is re-synced
whole: [start of the bar holding `since_ms`, end of the bar holding `resume_ms`). The
provider leaves out bars still forming, and the query service lets synced bars win over live
ones of the same key, so over-covering is harmless while under-covering leaves a hole.

Job ids are deterministic per (symbol, interval, start, end): the same gap detected twice
(two shards during a hand-over, a restart before the commands were sent) yields the same
jobs, which the stream's duplicate window and ingest-history's inbox drop. The end is part of
the key on purpose: a later, longer gap from the same start (a crash after some of a gap's
commands were sent, then downtime) must not be swallowed as a duplicate of the shorter one.

The last bucket of each command is usually still forming when the command runs, and the
provider leaves it out: a follow-up re-syncs it once it closed (follow_ups.py). Follow-ups
have their own id space (`gap-followup-...`): a gap inside one bucket asks for the same
range as its follow-up, and the follow-up must not be dropped as that command's duplicate.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from hashlib import blake2b

from pq_domain import Interval, Symbol, bucket_end, bucket_start, default_session
from pq_domain.events import SyncRequested

DAY_MS = 86_400_000


class BackfillKind(StrEnum):
    GAP = "gap"  # the buckets a gap touched, sent when the gap closed
    FOLLOW_UP = "gap-followup"  # one bucket that was still forming then, sent once closed


@dataclass(frozen=True, slots=True)
class Gap:
    symbol: Symbol
    since_ms: int | None  # the last quote before the gap; None: never streamed here
    resume_ms: int  # event time at which quotes flowed again


@dataclass(frozen=True, slots=True)
class BackfillPolicy:
    intervals: tuple[Interval, ...]
    initial_window_ms: int  # how far back a symbol we never streamed is filled
    max_gap_ms: int  # longer gaps are cut to this (the cursor may be weeks old)


def backfill_job_id(
    symbol: Symbol,
    interval: Interval,
    start_ms: int,
    end_ms: int,
    kind: BackfillKind = BackfillKind.GAP,
) -> str:
    """`<kind>-<interval>-<start>-<digest>`: fits the gateway's job id pattern
    [A-Za-z0-9_-]{1,64} (at most 50 characters)."""
    key = f"{symbol}|{interval.value}|{start_ms}|{end_ms}"
    if kind is not BackfillKind.GAP:  # gap ids stay as they were before follow-ups existed
        key += f"|{kind.value}"
    digest = blake2b(key.encode(), digest_size=8).hexdigest()
    return f"{kind.value}-{interval.value}-{start_ms}-{digest}"


def backfill_command(
    symbol: Symbol, interval: Interval, start_ms: int, end_ms: int, kind: BackfillKind
) -> SyncRequested:
    return SyncRequested(
        job_id=backfill_job_id(symbol, interval, start_ms, end_ms, kind),
        symbol=symbol,
        interval=interval,
        start=start_ms,
        end=end_ms,
    )


def backfill_commands(gap: Gap, policy: BackfillPolicy) -> list[SyncRequested]:
    since = gap.since_ms
    if since is None:
        since = gap.resume_ms - policy.initial_window_ms
    since = max(since, gap.resume_ms - policy.max_gap_ms)
    resume = max(gap.resume_ms, since)
    return [_command(gap.symbol, interval, since, resume) for interval in policy.intervals]


def _command(symbol: Symbol, interval: Interval, since: int, resume: int) -> SyncRequested:
    session = default_session(symbol.exchange, symbol.code)
    if interval.is_intraday:
        # Intraday bars open at session_open + k * interval: the symbol's session grid.
        start = bucket_start(interval, since, session)
        end = bucket_end(interval, resume, session)
    else:
        # Day, week and month bars open at the symbol's session open, which only the
        # provider knows for sure; start a day early so the bar holding `since` is covered
        # even when the real session differs from the exchange's default.
        start = bucket_start(interval, since - DAY_MS, session)
        end = bucket_end(interval, resume, session)
    return backfill_command(symbol, interval, start, end, BackfillKind.GAP)
