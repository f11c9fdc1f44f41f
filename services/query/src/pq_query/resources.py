"""What the composition root built, handed to the routers through `deps.py`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from nats.aio.client import Client
from redis.asyncio import Redis

from .adapters.redis.page_cache import BarPageCache
from .adapters.redis.quotes import LatestQuotes
from .metrics import QueryMetrics
from .model.live_model import LiveBarModel
from .ports import ReadModels
from .settings import QuerySettings

if TYPE_CHECKING:
    from .handlers.consumers import ConsumerRunner
    from .handlers.rebuild.rebuilder import BarsRebuilder


@dataclass
class QueryResources:
    settings: QuerySettings
    models: ReadModels[Any]
    live: LiveBarModel[Any]
    cache: BarPageCache | None
    quotes: LatestQuotes
    redis: Redis
    nc: Client
    metrics: QueryMetrics
    rebuilder: BarsRebuilder[Any]
    consumers: dict[str, ConsumerRunner]  # by name: bars, jobs, quotes
