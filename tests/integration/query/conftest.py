"""A running query service (in process, lifespan entered) on its own nats-server."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from nats.aio.client import Client
from nats.js import JetStreamContext
from nats.js.errors import NotFoundError

from pq_launcher.servers import NatsServerFactory, RedisServer, RedisServerFactory
from pq_query.main import create_app
from pq_query.resources import QueryResources
from pq_query.settings import QuerySettings
from pq_runtime.messaging import connect_nats
from tests.support.waiting import wait_for


@dataclass
class RunningQuery:
    app: FastAPI
    client: httpx.AsyncClient
    nc: Client
    js: JetStreamContext

    @property
    def resources(self) -> QueryResources:
        found: QueryResources = self.app.state.resources
        return found

    async def get_json(self, path: str, **params: Any) -> Any:
        answer = await self.client.get(path, params=params)
        assert answer.status_code == 200, answer.text
        return answer.json()

    async def projected(self, durable: str = "query-bars", stream: str = "PQ_BARS") -> None:
        """Wait until the durable consumer has applied and acked everything its filter takes
        from the stream, up to the last message there now. Not `num_pending == 0`: the server
        counts a stored message as pending a moment after its publish ack (the consumer is
        signalled asynchronously), so that reads 0 for a message the projection never saw."""
        config = (await self.js.consumer_info(stream, durable)).config
        filters = config.filter_subjects or [config.filter_subject or ">"]
        last = 0
        for subject in filters:
            with suppress(NotFoundError):
                last = max(last, (await self.js.get_last_msg(stream, subject)).seq or 0)

        async def caught_up() -> bool:
            info = await self.js.consumer_info(stream, durable)
            return info.num_ack_pending == 0 and (info.ack_floor.stream_seq or 0) >= last

        await wait_for(caught_up, timeout=20, what=f"{durable} caught up to {stream} #{last}")


@pytest.fixture
def query_settings(
    tmp_path: Path, nats_server_factory: NatsServerFactory, redis_url: str
) -> QuerySettings:
    nats = nats_server_factory()
    return QuerySettings(
        nats_url=nats.url, redis_url=redis_url, data_dir=tmp_path, log_json=False,
        log_level="WARNING",
    )  # fmt: skip


@dataclass
class OwnRedis:
    """Settings of a query service whose Redis is its own, to stop or empty."""

    settings: QuerySettings
    redis: RedisServer


@pytest.fixture
def own_redis(
    tmp_path: Path, nats_server_factory: NatsServerFactory, redis_server_factory: RedisServerFactory
) -> OwnRedis:
    redis = redis_server_factory()
    settings = QuerySettings(
        nats_url=nats_server_factory().url, redis_url=redis.url, data_dir=tmp_path,
        log_json=False, log_level="ERROR",
    )  # fmt: skip
    return OwnRedis(settings, redis)


@asynccontextmanager
async def running_query(settings: QuerySettings) -> AsyncIterator[RunningQuery]:
    """The query service in process with `settings`, its lifespan entered."""
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://query") as client:
            nc = await connect_nats(settings.nats_url, name="query-test")
            try:
                yield RunningQuery(app, client, nc, nc.jetstream())
            finally:
                await nc.close()


@pytest.fixture
async def query_service(query_settings: QuerySettings) -> AsyncIterator[RunningQuery]:
    async with running_query(query_settings) as running:
        yield running
