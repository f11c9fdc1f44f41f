from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from ..stores_under_test import StoreUnderTest, open_store_under_test


@pytest.fixture(params=["sqlite", pytest.param("mongodb", marks=pytest.mark.mongodb)])
async def store_under_test(
    request: pytest.FixtureRequest, tmp_path: Path
) -> AsyncIterator[StoreUnderTest]:
    """Each store adapter: SQLite always, MongoDB where reachable (skipped with the reason)."""
    url = request.getfixturevalue("mongo_url") if request.param == "mongodb" else None
    async with open_store_under_test(request.param, tmp_path, url) as sut:
        yield sut
