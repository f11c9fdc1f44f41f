"""One /health shape for every service: each dependency `up`, or `down` with why.

`{"status": "ok" | "degraded", ...details, "dependencies": {name: {"status", "detail"?}}}`,
200 when every dependency is up, else 503, so one probe and one dashboard read them all.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping, Sequence

import msgspec
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from starlette.responses import Response

PROBE_TIMEOUT_S = 2.0


class DependencyHealth(msgspec.Struct, omit_defaults=True, frozen=True):
    status: str  # "up" | "down"
    detail: str | None = None


UP = DependencyHealth("up")


def down(detail: str) -> DependencyHealth:
    return DependencyHealth("down", detail)


async def probe(
    check: Callable[[], Awaitable[object]], timeout_s: float = PROBE_TIMEOUT_S
) -> DependencyHealth:
    """Up when `check` answers within `timeout_s`; down naming the failure otherwise."""
    try:
        async with asyncio.timeout(timeout_s):
            await check()
    except TimeoutError:
        return down(f"no answer within {timeout_s:g}s")
    except Exception as exc:  # any failure to answer means down
        return down(type(exc).__name__)
    return UP


def nats_health(connected: bool) -> DependencyHealth:
    return UP if connected else down("not connected")


def workers_health(stopped: Sequence[str]) -> DependencyHealth:
    return UP if not stopped else down(f"stopped: {', '.join(stopped)}")


def health_response(dependencies: Mapping[str, DependencyHealth], **details: object) -> Response:
    ok = all(d.status == "up" for d in dependencies.values())
    body = {"status": "ok" if ok else "degraded", **details, "dependencies": dependencies}
    return Response(
        msgspec.json.encode(body), status_code=200 if ok else 503, media_type="application/json"
    )


async def store_worker_health(
    nats_connected: bool,
    stopped_workers: Sequence[str],
    store_ping: Callable[[], Awaitable[object]],
    **details: object,
) -> Response:
    """The /health of a worker service that keeps a store: NATS, the store, the workers."""
    return health_response(
        {
            "nats": nats_health(nats_connected),
            "store": await probe(store_ping),
            "workers": workers_health(stopped_workers),
        },
        **details,
    )


def metrics_response(registry: CollectorRegistry) -> Response:
    return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)
