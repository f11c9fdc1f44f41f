"""The bar-builder as a child process (`python -m pq_bar_builder`), to SIGKILL and restart."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import IO, Any

import httpx

from pq_launcher.ports import free_port
from tests.support.waiting import wait_for

ROOT = Path(__file__).resolve().parents[3]


class BarBuilderProcess:
    def __init__(self, env: dict[str, str], log_path: Path) -> None:
        self.port = free_port()
        self._env = {**os.environ, **env, "PQ_HTTP_PORT": str(self.port), "PQ_LOG_JSON": "true"}
        self._log_path = log_path
        self._proc: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def start(self, attempts: int = 3) -> None:
        """Spawn and wait for /health; a free port another process took meanwhile (the
        machine is shared) makes the child exit at once: retried on a new port."""
        for attempt in range(attempts):
            try:
                await self._spawn()
                return
            except AssertionError:
                if self._proc is None or self._proc.poll() is None or attempt == attempts - 1:
                    raise
                self._close_log()
                self.port = free_port()
                self._env["PQ_HTTP_PORT"] = str(self.port)

    async def _spawn(self) -> None:
        self._log = self._log_path.open("ab")
        self._proc = subprocess.Popen(  # noqa: ASYNC220 (spawning is instant; tests only)
            [sys.executable, "-m", "pq_bar_builder"],
            cwd=ROOT,
            env=self._env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        await wait_for(self._healthy, timeout=30, what=f"bar-builder on {self.url}")

    async def _healthy(self) -> bool:
        assert self._proc is not None
        if self._proc.poll() is not None:
            raise AssertionError(f"bar-builder exited: see {self._log_path}")
        try:
            status: str = (await self.health())["status"]
            return status == "ok"
        except httpx.HTTPError:
            return False

    async def health(self) -> dict[str, Any]:
        async with httpx.AsyncClient(timeout=2.0) as client:
            body: dict[str, Any] = (await client.get(f"{self.url}/health")).json()
            return body

    async def metric(self, name: str) -> float:
        """Sum of a Prometheus sample's values (0 when absent)."""
        async with httpx.AsyncClient(timeout=2.0) as client:
            text = (await client.get(f"{self.url}/metrics")).text
        return sum(
            float(line.rsplit(" ", 1)[1])
            for line in text.splitlines()
            if line.startswith(name) and not line.startswith("#")
        )

    def kill(self) -> None:
        """SIGKILL: no batch finished, no lease released, nothing flushed."""
        self._signal(signal.SIGKILL)

    async def stop(self) -> None:
        self._signal(signal.SIGTERM)

    def _signal(self, sig: int) -> None:
        if self._proc is not None and self._proc.poll() is None:
            self._proc.send_signal(sig)
            try:
                self._proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()
        self._proc = None
        self._close_log()

    def _close_log(self) -> None:
        if self._log is not None:
            self._log.close()
            self._log = None

    async def __aenter__(self) -> BarBuilderProcess:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await asyncio.to_thread(self._signal, signal.SIGTERM)
