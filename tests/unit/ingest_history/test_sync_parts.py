"""Chunking, complete-bar filtering, retry policy and settings defaults."""

from __future__ import annotations

from pathlib import Path

import pytest

from pq_domain import Bar, Interval, Symbol, TradingSession
from pq_domain.events import SyncRequested
from pq_ingest_history.model.completed_bars import complete_bars, session_of
from pq_ingest_history.model.retry_policy import RetriesExhausted, RetryPolicy, with_retries
from pq_ingest_history.model.sync_events import bar_chunks
from pq_ingest_history.ports import PermanentFetchError, TransientFetchError
from pq_ingest_history.settings import IngestHistorySettings

HOUR = 3_600_000
DAY = 24 * HOUR


UTC = TradingSession("UTC", always_open=True)


def bars(times: list[int]) -> list[Bar]:
    return [Bar(t, 1.0, 1.0, 1.0, 1.0, 0.0) for t in times]


def test_chunks_hold_at_most_1000_bars_in_order_with_deterministic_ids() -> None:
    command = SyncRequested("j", Symbol.parse("NYSE:KO"), Interval.M1, bars=2001)
    chunks = bar_chunks(command, bars(list(range(2001))))
    assert [len(c.bars) for c in chunks] == [1000, 1000, 1]
    assert [(c.chunk, c.chunks) for c in chunks] == [(0, 3), (1, 3), (2, 3)]
    assert [c.event_id for c in chunks] == ["bar-synced:j:0", "bar-synced:j:1", "bar-synced:j:2"]
    assert [b.t for c in chunks for b in c.bars] == list(range(2001))
    assert bar_chunks(command, []) == []


def test_intraday_bars_ending_after_now_are_dropped_and_newest_kept() -> None:
    series = bars([0, HOUR, 2 * HOUR])
    assert [b.t for b in complete_bars(series, Interval.H1, 2 * HOUR + 1, UTC)] == [0, HOUR]
    assert [b.t for b in complete_bars(series, Interval.H1, 3 * HOUR, UTC, newest=2)] == [
        HOUR,
        2 * HOUR,
    ]


def test_daily_bars_end_at_the_next_session_open() -> None:
    nyse = session_of(Symbol.parse("NYSE:KO"), "0930-1600:23456", "America/New_York")
    tuesday_open = 1_704_205_800_000  # 2024-01-02 09:30 New York
    series = bars([tuesday_open])
    assert complete_bars(series, Interval.D1, tuesday_open + 20 * HOUR, nyse) == ()
    assert len(complete_bars(series, Interval.D1, tuesday_open + DAY, nyse)) == 1


def test_an_unparsable_session_falls_back_to_the_exchange_default() -> None:
    assert session_of(Symbol.parse("NYSE:KO"), "garbage", "Nowhere/City").zone.key == (
        "America/New_York"
    )


async def test_retries_back_off_then_give_up_naming_the_attempts() -> None:
    waits: list[float] = []

    async def sleep(s: float) -> None:
        waits.append(s)

    async def failing() -> int:
        raise TransientFetchError("X:Y: timeout")

    with pytest.raises(RetriesExhausted, match=r"X:Y: timeout \(gave up after 3 attempts\)"):
        await with_retries(failing, RetryPolicy(3, 1.0, 1.5), what="X:Y", sleep=sleep)
    assert waits == [1.0, 1.5]


async def test_permanent_errors_are_not_retried() -> None:
    calls = 0

    async def unknown() -> int:
        nonlocal calls
        calls += 1
        raise PermanentFetchError("X:Y: unknown")

    with pytest.raises(PermanentFetchError):
        await with_retries(unknown, RetryPolicy(5), what="X:Y")
    assert calls == 1


def test_store_defaults_under_the_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PQ_STORE_URL", raising=False)
    monkeypatch.setenv("PQ_DATA_DIR", str(tmp_path))
    settings = IngestHistorySettings()
    assert settings.store_url == f"sqlite:///{tmp_path / 'data' / 'ingest-history.db'}"
    assert settings.http_port == 18092
    assert IngestHistorySettings(store_url="sqlite:///x.db").store_url == "sqlite:///x.db"
