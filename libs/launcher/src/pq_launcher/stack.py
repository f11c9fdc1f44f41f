"""The stack `pq up` runs: one list, in start order. Add a service by appending one spec."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping

from pq_launcher.bus_auth import BusAuth, without_userinfo
from pq_launcher.dev_api_key import with_dev_api_key
from pq_launcher.ports import LOOPBACK
from pq_launcher.readiness import HttpProbe
from pq_launcher.servers import (
    NatsServerConfig,
    RedisServerConfig,
    nats_server_spec,
    redis_server_spec,
)
from pq_launcher.settings import LauncherSettings
from pq_launcher.spec import ProcessSpec, RestartPolicy


def bus_auth(settings: LauncherSettings) -> BusAuth:
    """The stack's credentials: `.pq/credentials.json` and `.pq/nats-consumers.json`."""
    return BusAuth(settings.data_path)


def nats_config(settings: LauncherSettings) -> NatsServerConfig:
    return NatsServerConfig(
        port=settings.nats_port,
        monitor_port=settings.nats_monitor_port,
        data_dir=settings.data_path / "nats",
        auth=bus_auth(settings),
    )


def redis_config(settings: LauncherSettings) -> RedisServerConfig:
    return RedisServerConfig(
        port=settings.redis_port,
        data_dir=settings.data_path / "redis",
        password=bus_auth(settings).secrets().redis,
    )


def credentials_env(settings: LauncherSettings, identity: str) -> dict[str, str]:
    """The embedded servers' credentials for one service: its own NATS identity (by the
    process name, which is its role) and Redis's password. External servers: none (the
    services inherit PQ_NATS_USER etc. from the launcher's environment)."""
    secrets = bus_auth(settings).secrets()
    env: dict[str, str] = {}
    if settings.nats_url is None:
        env |= {"PQ_NATS_USER": identity, "PQ_NATS_PASSWORD": secrets.nats_password(identity)}
    if settings.redis_url is None:
        env["PQ_REDIS_PASSWORD"] = secrets.redis
    return env


def nats_url(settings: LauncherSettings) -> str:
    return settings.nats_url or nats_config(settings).url


def redis_url(settings: LauncherSettings) -> str:
    return settings.redis_url or redis_config(settings).url


def python_service_spec(
    settings: LauncherSettings,
    *,
    name: str,
    module: str,
    http_port: int,
    env: Mapping[str, str] | None = None,
    endpoint: str | None = None,
) -> ProcessSpec:
    """`python -m <module>` wired to the stack's NATS and Redis, ready when /health is 200.

    `endpoint` names the stack.json key for its URL (e.g. "gateway_url").
    """
    url = f"http://{LOOPBACK}:{http_port}"
    return ProcessSpec(
        name=name,
        argv=(sys.executable, "-m", module),
        env={
            "PQ_NATS_URL": nats_url(settings),
            "PQ_REDIS_URL": redis_url(settings),
            "PQ_DATA_DIR": str(settings.data_path),
            "PQ_HTTP_PORT": str(http_port),
            **credentials_env(settings, name),
            **(env or {}),
        },
        readiness=HttpProbe(f"{url}/health"),
        restart=RestartPolicy.ALWAYS,
        endpoints={endpoint: url} if endpoint else {},
    )


def stack_processes(settings: LauncherSettings) -> list[ProcessSpec]:
    """Every child of the stack, in dependency order (each starts once the previous is ready).

    External servers (PQ_NATS_URL / PQ_REDIS_URL) are used as they are: no child for them.
    Later services append e.g. `python_service_spec(settings, name="query",
    module="pq_query", http_port=settings.query_port)`. Every port comes from
    LauncherSettings (PQ_<NAME>_PORT), never a literal: tests run the stack on free ports.
    """
    processes: list[ProcessSpec] = []
    if settings.nats_url is None:
        processes.append(nats_server_spec(nats_config(settings)))
    if settings.redis_url is None:
        processes.append(redis_server_spec(redis_config(settings)))
    processes.extend(history_ingest_processes(settings))
    processes.append(
        python_service_spec(
            settings,
            name="query",
            module="pq_query",
            http_port=settings.query_port,
            endpoint="query_url",
        )
    )
    processes.append(
        python_service_spec(
            settings,
            name="bar-builder",
            module="pq_bar_builder",
            http_port=settings.bar_builder_port,
        )
    )
    processes.append(
        python_service_spec(
            settings,
            name="ingest-stream",
            module="pq_ingest_stream",
            http_port=settings.ingest_stream_port,
            env={"PQ_TRADINGVIEW_URL": tradingview_url()},
        )
    )
    # The public door opens last, once everything behind it answers.
    processes.append(
        with_dev_api_key(
            python_service_spec(
                settings,
                name="gateway",
                module="pq_gateway",
                http_port=settings.gateway_port,
                env={
                    "PQ_GATEWAY_PORT": str(settings.gateway_port),
                    "PQ_QUERY_URL": f"http://{LOOPBACK}:{settings.query_port}",
                },
                endpoint="gateway_url",
            ),
            settings,
        )
    )
    only = settings.selected_processes
    if not only:
        return processes
    unknown = only - {p.name for p in processes}
    if unknown:
        known = ", ".join(p.name for p in processes)
        raise ValueError(f"PQ_STACK_ONLY names unknown processes {sorted(unknown)}; known: {known}")
    return [p for p in processes if p.name in only]


def external_endpoints(settings: LauncherSettings) -> dict[str, str]:
    """Endpoints the stack uses but does not run (credentials in them are never published)."""
    endpoints: dict[str, str] = {}
    if settings.nats_url is not None:
        endpoints["nats_url"] = without_userinfo(settings.nats_url)
    if settings.redis_url is not None:
        endpoints["redis_url"] = without_userinfo(settings.redis_url)
    return endpoints


# ---- the TradingView simulator and ingest-history ---------------------------------------
# PQ_TRADINGVIEW_URL names an external TradingView (or simulator): none is started then,
# and the services inherit it from the launcher's environment. PQ_TVSIM_PORT and
# PQ_INGEST_HISTORY_PORT move them off their embedded ports (parallel stacks, tests).


def tradingview_url() -> str:
    return os.environ.get("PQ_TRADINGVIEW_URL") or (
        f"ws://{LOOPBACK}:{tvsim_port()}/socket.io/websocket"
    )


def tvsim_port() -> int:
    return int(os.environ.get("PQ_TVSIM_PORT") or 18765)


def tvsim_spec() -> ProcessSpec:
    return ProcessSpec(
        name="tv-simulator",
        argv=(sys.executable, "-m", "pq_tvsim"),
        env={"PQ_TVSIM_HOST": LOOPBACK, "PQ_TVSIM_PORT": str(tvsim_port())},
        readiness=HttpProbe(f"http://{LOOPBACK}:{tvsim_port()}/health"),
        restart=RestartPolicy.ALWAYS,
        endpoints={"tradingview_url": tradingview_url()},
    )


def history_ingest_processes(settings: LauncherSettings) -> list[ProcessSpec]:
    processes = [] if os.environ.get("PQ_TRADINGVIEW_URL") else [tvsim_spec()]
    processes.append(
        python_service_spec(
            settings,
            name="ingest-history",
            module="pq_ingest_history",
            http_port=int(os.environ.get("PQ_INGEST_HISTORY_PORT") or 18092),
            env={"PQ_TRADINGVIEW_URL": tradingview_url()},
        )
    )
    return processes
