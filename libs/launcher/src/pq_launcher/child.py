"""One child process: started in its own process group, probed, stopped with its whole group."""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

from pq_launcher.spec import ProcessSpec

_PR_SET_PDEATHSIG = 1
_READY_POLL_S = 0.02


class ChildFailedToStart(RuntimeError):
    """The child exited or never became ready; the message carries its log tail."""


def _die_with_parent_hook() -> Callable[[], None] | None:
    """A preexec hook making the kernel SIGKILL the child when the launcher dies, even by SIGKILL.

    Linux only. The kernel ties this to the spawning *thread*, so it is only set when spawning
    from the main thread: a child started from a worker thread would die with that thread.
    """
    if not sys.platform.startswith("linux"):
        return None
    if threading.current_thread() is not threading.main_thread():
        return None
    libc = ctypes.CDLL(None, use_errno=True)  # loaded before fork: no dlopen in the child
    parent_pid = os.getpid()

    def hook() -> None:
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() != parent_pid:  # the parent died before prctl took effect
            os._exit(1)

    return hook


def log_tail(path: Path | None, lines: int = 20) -> str:
    if path is None or not path.exists():
        return ""
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


class ChildProcess:
    """Runs `spec` as a child; start() and stop() may be repeated (same ports, same data)."""

    def __init__(self, spec: ProcessSpec, log_path: Path | None = None) -> None:
        self.spec = spec
        self.log_path = log_path
        self._popen: subprocess.Popen[bytes] | None = None

    @property
    def pid(self) -> int | None:
        return self._popen.pid if self._popen is not None else None

    @property
    def is_running(self) -> bool:
        return self._popen is not None and self._popen.poll() is None

    @property
    def returncode(self) -> int | None:
        return self._popen.poll() if self._popen is not None else None

    def start(self) -> None:
        if self.is_running:
            return
        if self.spec.prepare is not None:
            self.spec.prepare()
        env = {**os.environ, **self.spec.env}
        if self.log_path is not None:
            self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with (
            open(self.log_path, "ab") if self.log_path is not None else open(os.devnull, "wb")
        ) as log:
            self._popen = subprocess.Popen(
                self.spec.argv,
                env=env,
                cwd=self.spec.cwd,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                # Own session: Ctrl-C on the terminal reaches the launcher only, which then
                # stops children in reverse order; and the group can be killed as a whole.
                start_new_session=True,
                preexec_fn=_die_with_parent_hook(),
            )

    def wait_ready(self, timeout: float, should_abort: Callable[[], bool] = lambda: False) -> float:
        """Block until the readiness probe passes; return the seconds it took."""
        started = time.monotonic()
        deadline = started + timeout
        probe = self.spec.readiness
        while True:
            if not self.is_running:
                raise ChildFailedToStart(
                    f"{self.spec.name} exited with code {self.returncode} before it was ready\n"
                    f"{log_tail(self.log_path)}"
                )
            if probe is None or probe():
                return time.monotonic() - started
            if should_abort():
                raise ChildFailedToStart(f"{self.spec.name}: start aborted")
            if time.monotonic() > deadline:
                what = probe.describe()
                raise ChildFailedToStart(
                    f"{self.spec.name} not ready after {timeout:.0f}s ({what})\n"
                    f"{log_tail(self.log_path)}"
                )
            time.sleep(_READY_POLL_S)

    def stop(self, timeout: float = 10.0) -> None:
        """SIGTERM the child's group, SIGKILL it after `timeout` s; leaves no member behind."""
        if self._popen is None:
            return
        if self._popen.poll() is None:
            self._signal_group(signal.SIGTERM)
            try:
                self._popen.wait(timeout)
            except subprocess.TimeoutExpired:
                self._signal_group(signal.SIGKILL)
                self._popen.wait()
        # Grandchildren that outlived a graceful leader still share its group.
        self._signal_group(signal.SIGKILL)

    def kill(self) -> None:
        """Crash the child (SIGKILL, no shutdown), e.g. for resilience tests."""
        if self._popen is None:
            return
        self._signal_group(signal.SIGKILL)
        self._popen.wait()

    def _signal_group(self, signum: signal.Signals) -> None:
        assert self._popen is not None
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self._popen.pid, signum)
