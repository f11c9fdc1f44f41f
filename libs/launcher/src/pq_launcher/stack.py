"""The stack `pq up` runs: one list, in start order. Add a service by appending one spec."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping

from pq_launcher.bus_auth import without_userinfo
from pq_launcher.dev_api_key import with_dev_api_key
from pq_launcher.ports import LOOPBACK
from pq_launcher.readiness import HttpProbe
from pq_launcher.replicas import http_url, parse_replicas, replica_ports, replicate
from pq_launcher.servers import RedisServerConfig, redis_server_spec
from pq_launcher.settings import LauncherSettings
from pq_launcher.spec import ProcessSpec, RestartPolicy
from pq_launcher.stack_nats import bus_auth, nats_specs, nats_url, replica_settings_env

__all__ = ["nats_url", "python_service_spec", "redis_url", "service_specs", "stack_processes"]


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
    ready_without: tuple[str, ...] = (),
) -> ProcessSpec:
    """`python -m <module>` wired to the stack's NATS and Redis, ready when /health is 200.

    `endpoint` names the stack.json key for its URL (e.g. "gateway_url");
    `ready_without`: dependencies it may still lack when the stack goes on (HttpProbe).
    """
    url = http_url(http_port)
    return ProcessSpec(
        name=name,
        argv=(sys.executable, "-m", module),
        env={
            "PQ_NATS_URL": nats_url(settings),
            "PQ_REDIS_URL": redis_url(settings),
            "PQ_DATA_DIR": str(settings.data_path),
            "PQ_HTTP_PORT": str(http_port),
            **replica_settings_env(settings),
            **credentials_env(settings, name),
            **(env or {}),
        },
        readiness=HttpProbe(f"{url}/health", outside=ready_without),
        restart=RestartPolicy.ALWAYS,
        endpoints={endpoint: url} if endpoint else {},
    )


def service_specs(
    settings: LauncherSettings,
    ports: list[int],
    *,
    name: str,
    module: str,
    env: Callable[[int], Mapping[str, str]] = lambda _: {},
    endpoint: str | None = None,
    ready_without: tuple[str, ...] = (),
) -> list[ProcessSpec]:
    """One spec per replica of a service (one per port), see pq_launcher.replicas."""
    specs = [
        python_service_spec(
            settings,
            name=name,
            module=module,
            http_port=port,
            env=env(port),
            endpoint=endpoint,
            ready_without=ready_without,
        )
        for port in ports
    ]
    return replicate(specs, ports)


def stack_processes(settings: LauncherSettings) -> list[ProcessSpec]:
    """Every child of the stack, in dependency order (each starts once the previous is ready).

    External servers (PQ_NATS_URL / PQ_REDIS_URL) are used as they are: no child for them.
    Every port comes from LauncherSettings (PQ_<NAME>_PORT), never a literal: tests run the
    stack on free ports. PQ_REPLICAS runs several processes of a service.
    """
    counts = parse_replicas(settings.replicas)
    ports = {
        name: replica_ports(port, counts.get(name, 1))
        for name, port in (
            ("ingest-history", settings.ingest_history_port),
            ("query", settings.query_port),
            ("bar-builder", settings.bar_builder_port),
            ("ingest-stream", settings.ingest_stream_port),
            ("gateway", settings.gateway_port),
        )
    }
    processes: list[ProcessSpec] = []
    if settings.nats_url is None:
        processes.extend(nats_specs(settings))
    if settings.redis_url is None:
        processes.append(redis_server_spec(redis_config(settings)))
    if not os.environ.get("PQ_TRADINGVIEW_URL"):
        processes.append(tvsim_spec())
    tradingview = tradingview_env()
    processes += service_specs(
        settings,
        ports["ingest-history"],
        name="ingest-history",
        module="pq_ingest_history",
        env=lambda _: tradingview,
    )
    processes += service_specs(
        settings, ports["query"], name="query", module="pq_query", endpoint="query_url"
    )
    processes += service_specs(
        settings, ports["bar-builder"], name="bar-builder", module="pq_bar_builder"
    )
    processes += service_specs(
        settings,
        ports["ingest-stream"],
        name="ingest-stream",
        module="pq_ingest_stream",
        env=lambda _: tradingview,
        ready_without=("tradingview",),
    )
    # The public door opens last, once everything behind it answers. Each gateway knows
    # every query replica and fails over between them.
    query_urls = ",".join(http_url(port) for port in ports["query"])
    gateways = service_specs(
        settings,
        ports["gateway"],
        name="gateway",
        module="pq_gateway",
        env=lambda port: {"PQ_GATEWAY_PORT": str(port), "PQ_QUERY_URL": query_urls},
        endpoint="gateway_url",
    )
    processes += [with_dev_api_key(spec, settings) for spec in gateways]
    return _only_selected(settings, processes)


def _only_selected(settings: LauncherSettings, processes: list[ProcessSpec]) -> list[ProcessSpec]:
    """PQ_STACK_ONLY: by process name or by service (all its replicas, every NATS node)."""
    only = settings.selected_processes
    if not only:
        return processes
    known = {p.name for p in processes} | {p.service for p in processes}
    unknown = only - known
    if unknown:
        names = ", ".join(p.name for p in processes)
        raise ValueError(f"PQ_STACK_ONLY names unknown processes {sorted(unknown)}; known: {names}")
    return [p for p in processes if p.name in only or p.service in only]


def external_endpoints(settings: LauncherSettings) -> dict[str, str]:
    """Endpoints the stack uses but does not run (credentials in them are never published)."""
    endpoints: dict[str, str] = {}
    if settings.nats_url is not None:
        endpoints["nats_url"] = without_userinfo(settings.nats_url)
    if settings.redis_url is not None:
        endpoints["redis_url"] = without_userinfo(settings.redis_url)
    return endpoints


# ---- the TradingView simulator ------------------------------------------------------------
# PQ_TRADINGVIEW_URL names an external TradingView (or simulator): none is started then,
# and the services inherit it from the launcher's environment. PQ_TVSIM_PORT moves the
# simulator off its embedded port (parallel stacks, tests).


def tradingview_url() -> str:
    return os.environ.get("PQ_TRADINGVIEW_URL") or (
        f"ws://{LOOPBACK}:{tvsim_port()}/socket.io/websocket"
    )


def tradingview_env() -> dict[str, str]:
    """Where ingest-history and ingest-stream connect, and sign in when
    PQ_TRADINGVIEW_USERNAME/_PASSWORD are set (the simulator serves /accounts/signin/ on its
    own port). With an external PQ_TRADINGVIEW_URL, PQ_TRADINGVIEW_WEB_URL is the user's."""
    env = {"PQ_TRADINGVIEW_URL": tradingview_url()}
    web_url = os.environ.get("PQ_TRADINGVIEW_WEB_URL")
    if web_url:
        env["PQ_TRADINGVIEW_WEB_URL"] = web_url
    elif not os.environ.get("PQ_TRADINGVIEW_URL"):
        env["PQ_TRADINGVIEW_WEB_URL"] = f"http://{LOOPBACK}:{tvsim_port()}"
    return env


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
