"""What the launcher needs to know to run, probe and restart one child process."""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from pq_launcher.readiness import ReadinessProbe


class RestartPolicy(enum.Enum):
    ALWAYS = "always"  # servers: any exit while the stack runs is a crash
    ON_FAILURE = "on-failure"  # a zero exit means the child finished its job
    NEVER = "never"


@dataclass(frozen=True)
class ProcessSpec:
    """One child of the stack.

    `env` is added to the launcher's own environment. `prepare` runs before every
    start (write a config file, create a folder), so a restart finds them again.
    `endpoints` are published in stack.json (e.g. {"nats_url": "nats://..."}).
    `group` and `urls`: see below (replicas and cluster nodes).
    """

    name: str
    argv: tuple[str, ...]
    readiness: ReadinessProbe | None = None
    env: Mapping[str, str] = field(default_factory=dict)
    cwd: Path | None = None
    restart: RestartPolicy = RestartPolicy.ALWAYS
    prepare: Callable[[], None] | None = None
    endpoints: Mapping[str, str] = field(default_factory=dict)
    # The service (or server) a replica belongs to: "query" for query-0 and query-1.
    group: str = ""
    # This child's own addresses (a cluster node's, a replica's), listed in stack.json.
    urls: Mapping[str, str] = field(default_factory=dict)

    @property
    def service(self) -> str:
        return self.group or self.name
