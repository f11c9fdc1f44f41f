"""What the composition root builds once per app and the routes and middleware use."""

from __future__ import annotations

from dataclasses import dataclass

from redis.asyncio import Redis
from starlette.types import Scope

from .adapters.command_publisher import CommandPublisher
from .adapters.nats_link import NatsLink
from .adapters.pending_jobs import PendingJobs
from .adapters.query_forwarder import QueryForwarder
from .adapters.schedules import KvSchedules
from .adapters.stream_status import KvStreamStatus
from .adapters.upstream import Upstream
from .adapters.watchlist import KvWatchlist
from .auth.authenticator import ApiKeyAuthenticator
from .idempotency.store import IdempotencyStore
from .metrics import GatewayMetrics
from .ratelimit.auth_failures import AuthFailureLimiter
from .ratelimit.leases import LeasedLimiter
from .settings import GatewaySettings
from .streaming.slots import StreamSlots
from .webhooks.store import WebhookStore


@dataclass(frozen=True, slots=True)
class GatewayResources:
    settings: GatewaySettings
    metrics: GatewayMetrics
    nats: NatsLink
    commands: CommandPublisher
    query_http: Upstream
    query: QueryForwarder
    redis: Redis
    watchlist: KvWatchlist
    schedules: KvSchedules
    stream_status: KvStreamStatus
    pending_jobs: PendingJobs
    authenticator: ApiKeyAuthenticator
    rate_limiter: LeasedLimiter
    auth_failures: AuthFailureLimiter
    idempotency: IdempotencyStore
    webhooks: WebhookStore
    stream_slots: StreamSlots


def resources_of(scope: Scope) -> GatewayResources:
    """The app's resources, for pure-ASGI middleware (Starlette puts the app in the scope)."""
    resources: GatewayResources = scope["app"].state.resources
    return resources
