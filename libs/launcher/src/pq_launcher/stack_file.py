"""`.pq/stack.json`: where the running stack's endpoints are and which PIDs belong to it."""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class ChildRecord:
    name: str
    pid: int | None
    log: str | None
    # This process's own addresses: a NATS node's client and monitor URL, a replica's
    # HTTP URL (`http_url`). The stack-wide ones are in StackRecord.endpoints.
    urls: dict[str, str] = field(default_factory=dict)
    service: str = ""  # the service a replica belongs to, or the server a node is one of


@dataclass(frozen=True)
class StackRecord:
    launcher_pid: int
    data_dir: str
    endpoints: dict[str, str]
    processes: list[ChildRecord] = field(default_factory=list)
    external: list[str] = field(default_factory=list)

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2) + "\n"

    @classmethod
    def from_json(cls, text: str) -> StackRecord:
        raw: dict[str, Any] = json.loads(text)
        return cls(
            launcher_pid=int(raw["launcher_pid"]),
            data_dir=str(raw["data_dir"]),
            endpoints={str(k): str(v) for k, v in raw["endpoints"].items()},
            processes=[ChildRecord(**child) for child in raw.get("processes", [])],
            external=[str(name) for name in raw.get("external", [])],
        )


def write_stack_file(path: Path, record: StackRecord) -> None:
    # Readers (pq status, tests, other tools) must never see a half-written file.
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(record.to_json())
    os.replace(tmp, path)


def read_stack_file(path: Path) -> StackRecord | None:
    try:
        return StackRecord.from_json(path.read_text())
    except FileNotFoundError:
        return None


def pid_alive(pid: int) -> bool:
    """True while `pid` runs; a zombie (dead, not yet reaped by its new parent) counts as gone."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        return True
    return not _is_zombie(pid)


def _is_zombie(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:  # no procfs (macOS) or the process just went away
        return False
    # The state follows the command name, which is in parentheses and may contain spaces.
    return stat.rpartition(")")[2].split()[0] == "Z"
