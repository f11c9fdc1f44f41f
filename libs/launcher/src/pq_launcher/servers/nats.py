"""nats-server with JetStream on file storage, fsync on every write (`sync_interval: always`)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from pq_launcher.binaries import find_binary
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
            "}\n"
        ) + (self.cluster.render() if self.cluster is not None else "")

    def write(self) -> None:
        self.store_dir.mkdir(parents=True, exist_ok=True)
        self.config_path.write_text(self.render())


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
    """A real nats-server; `url` is for clients, `monitor_url` serves /varz, /jsz, /healthz."""

    def __init__(self, config: NatsServerConfig, log_path: Path | None = None) -> None:
        super().__init__(nats_server_spec(config), log_path or config.data_dir / "nats-server.log")
        self.config = config

    @property
    def url(self) -> str:
        return self.config.url

    @property
    def monitor_url(self) -> str:
        return self.config.monitor_url
