"""nats-server with JetStream on file storage, fsync on every write (`sync_interval: always`)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from pq_launcher.binaries import find_binary
from pq_launcher.bus_auth import BusAuth
from pq_launcher.bus_auth.secret_files import write_private_text
from pq_launcher.ports import LOOPBACK
from pq_launcher.readiness import HttpProbe
from pq_launcher.servers.base import EmbeddedServer
from pq_launcher.spec import ProcessSpec, RestartPolicy


class ConfigBlock(Protocol):
    """A top-level block appended to the file (e.g. `cluster`, see nats_cluster.py)."""

    def render(self) -> str: ...


@dataclass(frozen=True)
class NatsServerConfig:
    port: int
    monitor_port: int
    data_dir: Path  # holds the config file and the JetStream store
    host: str = LOOPBACK
    server_name: str = "pq-embedded"
    cluster: ConfigBlock | None = None  # routes to the other nodes of a cluster
    # Identities and permissions (auth.conf, included); None only for a deliberately open server.
    auth: BusAuth | None = None

    @property
    def url(self) -> str:
        return f"nats://{self.host}:{self.port}"

    @property
    def monitor_url(self) -> str:
        return f"http://{self.host}:{self.monitor_port}"

    @property
    def config_path(self) -> Path:
        return self.data_dir / "nats-server.conf"

    @property
    def auth_path(self) -> Path:
        return self.data_dir / "auth.conf"

    @property
    def client_url(self) -> str:
        """`url` with the admin identity: for test code and local tools, never printed."""
        return self.auth.nats_url_as(self.url) if self.auth else self.url

    @property
    def store_dir(self) -> Path:
        return self.data_dir / "jetstream"

    def render(self) -> str:
        # JSON strings are valid NATS config strings and escape any path safely.
        # sync_interval always: an acknowledged publish is on disk (see issue 3, Jepsen 2025).
        return (
            f"server_name: {json.dumps(self.server_name)}\n"
            f"listen: {json.dumps(f'{self.host}:{self.port}')}\n"
            f"http: {json.dumps(f'{self.host}:{self.monitor_port}')}\n"
            "jetstream {\n"
            f"  store_dir: {json.dumps(str(self.store_dir))}\n"
            "  sync_interval: always\n"
            "}\n" + (f"include {json.dumps(self.auth_path.name)}\n" if self.auth else "")
        ) + (self.cluster.render() if self.cluster is not None else "")

    def write(self) -> None:
        self.store_dir.mkdir(parents=True, exist_ok=True)
        self.write_auth()
        self.config_path.write_text(self.render())

    def write_auth(self) -> None:
        """(Re)write auth.conf; a running server applies it on SIGHUP (`pq consumers`)."""
        if self.auth is not None:
            write_private_text(self.auth_path, self.auth.render_nats())


def nats_server_spec(config: NatsServerConfig, name: str = "nats-server") -> ProcessSpec:
    return ProcessSpec(
        name=name,
        argv=(str(find_binary("nats-server")), "-c", str(config.config_path)),
        readiness=HttpProbe(f"{config.monitor_url}/healthz?js-enabled-only=true"),
        restart=RestartPolicy.ALWAYS,
        prepare=config.write,
        endpoints={"nats_url": config.url, "nats_monitor_url": config.monitor_url},
    )


class NatsServer(EmbeddedServer):
    """A real nats-server; `url` is for clients (with the admin identity when auth is on:
    test code only), `monitor_url` serves /varz, /jsz, /healthz."""

    def __init__(self, config: NatsServerConfig, log_path: Path | None = None) -> None:
        super().__init__(nats_server_spec(config), log_path or config.data_dir / "nats-server.log")
        self.config = config

    @property
    def url(self) -> str:
        return self.config.client_url

    @property
    def monitor_url(self) -> str:
        return self.config.monitor_url
