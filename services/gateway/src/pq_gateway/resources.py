"""What the composition root builds once per app and the routes use (via deps.py)."""

from __future__ import annotations

from dataclasses import dataclass

import httpx
from redis.asyncio import Redis

from .adapters.command_publisher import CommandPublisher
from .adapters.nats_link import NatsLink
from .adapters.query_forwarder import QueryForwarder
from .adapters.stream_status import KvStreamStatus
from .adapters.watchlist import KvWatchlist
from .settings import GatewaySettings


@dataclass(frozen=True, slots=True)
class GatewayResources:
    settings: GatewaySettings
    nats: NatsLink
    commands: CommandPublisher
    query_http: httpx.AsyncClient
    query: QueryForwarder
    redis: Redis
    watchlist: KvWatchlist
    stream_status: KvStreamStatus
