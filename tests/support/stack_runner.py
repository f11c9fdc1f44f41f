"""The whole embedded stack (`pq up`) in a subprocess on free ports, as a user starts it.

Nothing is inherited from the caller's PQ_* environment, so a `make up` running on this
machine (or a shell's PQ_NATS_URL) is never touched. The simulator runs from a fixed
Saturday with a fixed seed: markets are closed, so its history is the same in every run
and a test can compute the expected bars in-process (tests/support/sim_reference.py).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import httpx

from pq_launcher.bus_auth import BusAuth
from pq_launcher.ports import LOOPBACK
from pq_launcher.stack_file import StackRecord, read_stack_file
from tests.support.process_tree import descendants, still_alive
from tests.support.stack_logs import log_tails
from tests.support.waiting import wait_until

PQ = Path(sys.executable).parent / "pq"
SIM_SEED = 7
SIM_START = "2025-03-08T12:00:00+00:00"  # a Saturday: stocks and futures closed all day
PORT_NAMES = (
    "nats",
    "nats_monitor",
    "redis",
    "tvsim",
    "gateway",
    "query",
    "ingest_history",
    "ingest_stream",
    "bar_builder",
)


def sim_start_ms() -> int:
    return int(datetime.fromisoformat(SIM_START).timestamp() * 1000)


def free_ports(count: int) -> list[int]:
    """`count` distinct ports, all held open together so none is handed out twice."""
    sockets = [socket.socket(socket.AF_INET, socket.SOCK_STREAM) for _ in range(count)]
    try:
        for sock in sockets:
            sock.bind((LOOPBACK, 0))
        return [int(sock.getsockname()[1]) for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


def stack_env(data_dir: Path, ports: dict[str, int], **overrides: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("PQ_")}
    env |= {f"PQ_{name.upper()}_PORT": str(port) for name, port in ports.items()}
    env |= {
        "PQ_DATA_DIR": str(data_dir),
        "PQ_TVSIM_SEED": str(SIM_SEED),
        "PQ_TVSIM_START": SIM_START,
        "PQ_READY_TIMEOUT": "60",
        "PQ_STOP_TIMEOUT": "10",
    }
    return env | overrides


@dataclass
class E2eStack:
    process: subprocess.Popen[bytes]
    data_dir: Path
    env: dict[str, str]
    ports: dict[str, int]
    record: StackRecord | None = None
    children: list[int] = field(default_factory=list)

    @property
    def gateway_url(self) -> str:
        default = f"http://{LOOPBACK}:{self.ports['gateway']}"
        return self.record.endpoints.get("gateway_url", default) if self.record else default

    @property
    def nats_url(self) -> str:
        """The stack's NATS with its admin identity (test code only): auth is on."""
        return self.nats_url_as("admin")

    def nats_url_as(self, identity: str) -> str:
        """The stack's NATS URL carrying one identity's credentials (`.pq/credentials.json`)."""
        plain = self.record.endpoints["nats_url"] if self.record else ""
        return BusAuth(self.data_dir).nats_url_as(plain, identity) if plain else ""

    @property
    def nats_urls(self) -> list[str]:
        """Every NATS node's URL (one, or a cluster's: PQ_NATS_CLUSTER)."""
        return self.nats_url.split(",")

    @property
    def api_key(self) -> str | None:
        """The dev admin key the embedded stack writes, when the gateway enforces auth."""
        path = self.data_dir / "dev-api-key"
        return path.read_text().strip() if path.exists() else None

    def auth_headers(self) -> dict[str, str]:
        key = self.api_key
        return {"Authorization": f"Bearer {key}"} if key else {}

    def logs(self, lines: int = 30) -> str:
        return log_tails(self.data_dir, lines)

    def pq(self, *args: str, timeout: float = 120.0) -> subprocess.CompletedProcess[str]:
        """`pq <args>` run as a user would, in a shell carrying the stack's environment."""
        return subprocess.run(
            [str(PQ), *args], env=self.env, capture_output=True, text=True, timeout=timeout
        )

    def wait_ready(self, timeout: float) -> None:
        def gateway_healthy() -> bool:
            if self.process.poll() is not None:
                raise AssertionError(f"pq up exited with {self.process.returncode}")
            self.record = self.record or read_stack_file(self.data_dir / "stack.json")
            if self.record is None:
                return False
            try:
                return httpx.get(f"{self.gateway_url}/health", timeout=2).status_code == 200
            except httpx.HTTPError:
                return False

        try:
            wait_until(gateway_healthy, timeout=timeout, interval=0.25, what="gateway /health 200")
        except AssertionError as failure:
            names = [c.name for c in self.record.processes] if self.record else "no stack.json"
            raise AssertionError(f"{failure}; stack children: {names}\n{self.logs()}") from None
        self.children = descendants(self.process.pid)

    def stop(self, timeout: float = 60.0) -> None:
        """Ctrl-C, as a user stops it: `pq up` exits 0 and leaves no process behind."""
        if self.process.poll() is None:
            self.children = sorted({*self.children, *descendants(self.process.pid)})
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
                failure = f"pq up ignored SIGINT for {timeout}s"
                raise AssertionError(f"{failure}\n{self.logs()}") from None
        try:
            wait_until(lambda: not still_alive(self.children), timeout=10, what="children gone")
        except AssertionError:
            raise AssertionError(
                f"processes left behind: {still_alive(self.children)}\n{self.logs()}"
            ) from None
        assert self.process.returncode == 0, (
            f"pq up exited {self.process.returncode} on SIGINT\n{self.logs()}"
        )


def start_stack(data_dir: Path, *, ready_timeout: float = 150.0, **overrides: str) -> E2eStack:
    """`pq up` with its data under `data_dir`, every port free; returns once /health is 200.

    The stack writes a dev admin key to `<data_dir>/dev-api-key`: `auth_headers()` carries it.
    """
    data_dir.mkdir(parents=True, exist_ok=True)
    ports = dict(zip(PORT_NAMES, free_ports(len(PORT_NAMES)), strict=True))
    env = stack_env(data_dir, ports, **overrides)
    with open(data_dir / "pq-up.log", "wb") as out:
        process = subprocess.Popen([str(PQ), "up"], env=env, stdout=out, stderr=subprocess.STDOUT)
    stack = E2eStack(process, data_dir, env, ports)
    try:
        stack.wait_ready(ready_timeout)
    except BaseException:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()
        raise
    return stack
