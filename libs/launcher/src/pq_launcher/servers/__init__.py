"""The servers the embedded stack runs: nats-server (JetStream) and redis-server."""

from pq_launcher.servers.base import EmbeddedServer
from pq_launcher.servers.free_ports import (
    NatsServerFactory,
    RedisServerFactory,
    start_nats_on_free_ports,
    start_redis_on_free_ports,
)
from pq_launcher.servers.nats import NatsServer, NatsServerConfig, nats_server_spec
from pq_launcher.servers.redis import RedisServer, RedisServerConfig, redis_server_spec

__all__ = [
    "EmbeddedServer",
    "NatsServer",
    "NatsServerConfig",
    "NatsServerFactory",
    "RedisServer",
    "RedisServerConfig",
    "RedisServerFactory",
    "nats_server_spec",
    "redis_server_spec",
    "start_nats_on_free_ports",
    "start_redis_on_free_ports",
]
