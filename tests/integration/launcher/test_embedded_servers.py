"""The embedded servers start, answer, and come back with their data after a restart."""

from __future__ import annotations

import httpx
import nats
import redis
from nats.js.api import StreamConfig

from pq_launcher.servers import NatsServer, NatsServerFactory, RedisServer, RedisServerFactory


async def test_nats_answers_with_jetstream(nats_url: str) -> None:
    client = await nats.connect(nats_url)
    try:
        account = await client.jetstream().account_info()
        assert account.limits is not None
    finally:
        await client.close()


def test_jetstream_syncs_every_write(nats_server: NatsServer) -> None:
    varz = httpx.get(f"{nats_server.monitor_url}/varz").json()
    assert varz["jetstream"]["config"]["sync_always"] is True
    assert nats_server.config.store_dir.is_dir()


def test_redis_answers(redis_url: str) -> None:
    client = redis.Redis.from_url(redis_url)
    try:
        assert client.ping()
        client.set("pq:test", "1")
        assert client.get("pq:test") == b"1"
    finally:
        client.close()


async def test_jetstream_data_survives_restart(nats_server_factory: NatsServerFactory) -> None:
    server = nats_server_factory()
    client = await nats.connect(server.url)
    js = client.jetstream()
    await js.add_stream(StreamConfig(name="PQ_RESTART", subjects=["restart.>"]))
    await js.publish("restart.one", b"kept")
    await client.close()

    first_pid = server.pid
    server.stop()
    assert not server.is_running
    server.start()
    assert server.pid != first_pid

    client = await nats.connect(server.url)
    try:
        message = await client.jetstream().get_msg("PQ_RESTART", 1)
        assert message.data == b"kept"
    finally:
        await client.close()


async def test_killed_nats_restarts_on_same_port(nats_server_factory: NatsServerFactory) -> None:
    server = nats_server_factory()
    port = server.config.port
    server.kill()
    assert not server.is_running
    server.start()
    assert server.config.port == port
    client = await nats.connect(server.url)
    await client.close()


def test_redis_stops_and_starts_again(redis_server_factory: RedisServerFactory) -> None:
    server: RedisServer = redis_server_factory()
    server.stop()
    assert not server.is_running
    server.start()
    client = redis.Redis.from_url(server.url)
    try:
        assert client.ping()
    finally:
        client.close()
