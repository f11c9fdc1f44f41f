"""Run `pq up` as a real subprocess on free ports, as a user would, and read what it publishes."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pq_launcher.stack_file import StackRecord, pid_alive, read_stack_file
from tests.support.stack_runner import PORT_NAMES, free_ports
from tests.support.waiting import wait_until

PQ = Path(sys.executable).parent / "pq"


@dataclass
class RunningStack:
    process: subprocess.Popen[bytes]
    data_dir: Path
    env: dict[str, str]

    @property
    def stack_file(self) -> Path:
        return self.data_dir / "stack.json"

    def wait_ready(self, timeout: float = 90.0) -> StackRecord:
        def published() -> StackRecord | None:
            assert self.process.poll() is None, f"pq up exited early: {self.output()}"
            return read_stack_file(self.stack_file)

        record = wait_until(published, timeout=timeout, what="stack.json from pq up")
        assert record is not None
        return record

    def wait_exit(self, timeout: float = 60.0) -> int:
        return self.process.wait(timeout)

    def output(self) -> str:
        log = self.data_dir / "pq-up.log"
        return log.read_text(errors="replace") if log.exists() else ""

    def pq(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(PQ), *args], env=self.env, capture_output=True, text=True, timeout=30
        )


PqUp = Callable[..., RunningStack]
"""The `pq_up` fixture: keyword env overrides in, a started `pq up` out."""


def start_pq_up(data_dir: Path, **env_overrides: str) -> RunningStack:
    """`pq up` with its data under `data_dir` and free ports for every process of the stack,
    so a running `make up` (or anything on the standard ports) is never touched."""
    ports = dict(zip(PORT_NAMES, free_ports(len(PORT_NAMES)), strict=True))
    env = {
        **os.environ,
        "PQ_DATA_DIR": str(data_dir),
        **{f"PQ_{name.upper()}_PORT": str(port) for name, port in ports.items()},
        **env_overrides,
    }
    for inherited in ("PQ_NATS_URL", "PQ_REDIS_URL"):
        if inherited not in env_overrides:
            env.pop(inherited, None)
    data_dir.mkdir(parents=True, exist_ok=True)
    with open(data_dir / "pq-up.log", "wb") as log:
        process = subprocess.Popen([str(PQ), "up"], env=env, stdout=log, stderr=subprocess.STDOUT)
    return RunningStack(process, data_dir, env)


def wait_all_gone(pids: list[int], timeout: float = 10.0) -> None:
    wait_until(
        lambda: not [pid for pid in pids if pid_alive(pid)],
        timeout=timeout,
        what=f"processes {pids} to exit",
    )
