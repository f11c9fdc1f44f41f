"""What start-up built is kept out of the garbage collector's full passes while serving."""

from __future__ import annotations

import gc

from pq_query.main import create_app
from pq_query.settings import QuerySettings


async def test_start_up_objects_are_frozen_while_serving_and_released_after(
    query_settings: QuerySettings,
) -> None:
    app = create_app(query_settings)
    async with app.router.lifespan_context(app):
        assert gc.get_freeze_count() > 10_000  # the frameworks, the app, its clients
    assert gc.get_freeze_count() == 0
