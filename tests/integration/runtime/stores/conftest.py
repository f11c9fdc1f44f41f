from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from ..stores_under_test import StoreUnderTest, mongodb_url, open_store_under_test


@pytest.fixture(scope="session")
def mongo_url() -> Iterator[str]:
    """A MongoDB replica set's URL (PQ_TEST_MONGODB_URL or Docker), or a skip with the reason."""
    with mongodb_url() as url:
        yield url


@pytest.fixture(params=["sqlite", pytest.param("mongodb", marks=pytest.mark.mongodb)])
async def store_under_test(
    request: pytest.FixtureRequest, tmp_path: Path
) -> AsyncIterator[StoreUnderTest]:
    """Each store adapter: SQLite always, MongoDB where reachable (skipped with the reason)."""
    url = request.getfixturevalue("mongo_url") if request.param == "mongodb" else None
    async with open_store_under_test(request.param, tmp_path, url) as sut:
        yield sut
