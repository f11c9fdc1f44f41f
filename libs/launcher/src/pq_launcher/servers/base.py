"""A server run as a child: start, stop, crash, restart on the same port and data."""

from __future__ import annotations

from pathlib import Path
from types import TracebackType

from pq_launcher.child import ChildProcess
from pq_launcher.spec import ProcessSpec

DEFAULT_START_TIMEOUT_S = 15.0
DEFAULT_STOP_TIMEOUT_S = 10.0


class EmbeddedServer:
    """Wraps one ChildProcess; `stop()` then `start()` brings back the same server.

    Call start() from the main thread so the server dies with the process that owns it
    (see pq_launcher.child); from another thread it runs until stop() is called.
    """

    def __init__(self, spec: ProcessSpec, log_path: Path | None) -> None:
        self.spec = spec
        self._child = ChildProcess(spec, log_path)

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def pid(self) -> int | None:
        return self._child.pid if self._child.is_running else None

    @property
    def is_running(self) -> bool:
        return self._child.is_running

    @property
    def log_path(self) -> Path | None:
        return self._child.log_path

    def start(self, timeout: float = DEFAULT_START_TIMEOUT_S) -> float:
        """Start (no-op if running) and wait until it answers; return seconds to ready."""
        if self._child.is_running:
            return 0.0
        self._child.start()
        try:
            return self._child.wait_ready(timeout)
        except BaseException:
            self._child.stop(timeout=1.0)
            raise

    def stop(self, timeout: float = DEFAULT_STOP_TIMEOUT_S) -> None:
        """Graceful stop (SIGTERM, then SIGKILL after `timeout`)."""
        self._child.stop(timeout)

    def kill(self) -> None:
        """Crash it: SIGKILL, no shutdown work."""
        self._child.kill()

    def restart(self, timeout: float = DEFAULT_START_TIMEOUT_S) -> float:
        self.stop()
        return self.start(timeout)

    def __enter__(self) -> EmbeddedServer:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
