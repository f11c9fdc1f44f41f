"""query's inbox (processed event ids of the bars and jobs consumers) stays bounded."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from pq_domain import Bar, Interval
from pq_query.settings import QuerySettings
from tests.support.waiting import wait_for

from .conftest import RunningQuery, running_query
from .events import T0, publish_live, unique_symbol


def inbox_rows(data_dir: Path) -> int:
    with sqlite3.connect(data_dir / "data" / "query.db") as conn:
        count: int = conn.execute("SELECT count(*) FROM pq_inbox").fetchone()[0]
    return count


@pytest.fixture
async def forgetful_query(query_settings: QuerySettings) -> AsyncIterator[RunningQuery]:
    settings = query_settings.model_copy(
        update={"inbox_retention_s": 1.0, "inbox_purge_interval_s": 0.2}
    )
    async with running_query(settings) as running:
        yield running


async def test_processed_event_ids_older_than_the_retention_are_forgotten(
    forgetful_query: RunningQuery, query_settings: QuerySettings
) -> None:
    symbol = unique_symbol()
    for i in range(20):
        bar = Bar(T0 + i * 60_000, 1.0, 2.0, 0.5, 1.5, 1.0)
        await publish_live(forgetful_query.js, symbol, Interval.M1, bar)
    await forgetful_query.projected()
    page = await forgetful_query.get_json("/v1/bars", symbol=str(symbol), interval="1m", start=T0)
    assert len(page["bars"]) == 20  # applied (and so recorded in the inbox) first
    data_dir = Path(query_settings.data_dir)

    async def forgotten() -> bool:
        return inbox_rows(data_dir) == 0

    await wait_for(forgotten, timeout=20, what="inbox purged past its retention")
