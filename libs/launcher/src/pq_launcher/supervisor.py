"""Runs the stack's children: start in order, restart crashes with backoff, stop in reverse."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from pq_launcher.child import ChildProcess
from pq_launcher.spec import ProcessSpec, RestartPolicy

log = logging.getLogger("pq.launcher")

_POLL_S = 0.1
_BACKOFF_FIRST_S = 0.5
_BACKOFF_MAX_S = 15.0
_STABLE_AFTER_S = 30.0  # a child that ran this long before crashing starts its backoff afresh


def restart_delay(consecutive_crashes: int) -> float:
    return float(min(_BACKOFF_FIRST_S * 2 ** max(consecutive_crashes - 1, 0), _BACKOFF_MAX_S))


@dataclass
class _Supervised:
    child: ChildProcess
    started_at: float = 0.0
    crashes: int = 0
    restart_at: float | None = None
    exit_reported: bool = False


class Supervisor:
    """Owns one ChildProcess per spec; call from the main thread (see pq_launcher.child)."""

    def __init__(
        self,
        specs: Sequence[ProcessSpec],
        log_dir: Path,
        on_change: Callable[[Supervisor], None] = lambda _: None,
    ) -> None:
        self._entries = [
            _Supervised(ChildProcess(spec, log_dir / f"{spec.name}.log")) for spec in specs
        ]
        self._on_change = on_change

    @property
    def children(self) -> list[ChildProcess]:
        return [entry.child for entry in self._entries]

    def start_all(self, ready_timeout: float, stop: threading.Event) -> None:
        """Start each child once the previous one is ready; raises ChildFailedToStart."""
        for entry in self._entries:
            if stop.is_set():
                return
            entry.child.start()
            entry.started_at = time.monotonic()
            took = entry.child.wait_ready(ready_timeout, should_abort=stop.is_set)
            log.info("%s ready in %.2fs (pid %s)", entry.child.spec.name, took, entry.child.pid)

    def supervise(self, stop: threading.Event) -> None:
        """Watch children until `stop` is set, restarting those whose policy asks for it."""
        while not stop.wait(_POLL_S):
            for entry in self._entries:
                self._check(entry)

    def _check(self, entry: _Supervised) -> None:
        child = entry.child
        if child.is_running:
            return
        now = time.monotonic()
        if entry.restart_at is None:
            code = child.returncode
            if not _should_restart(child.spec.restart, code):
                if not entry.exit_reported:
                    entry.exit_reported = True
                    log.warning("%s exited with code %s; not restarted", child.spec.name, code)
                return
            if now - entry.started_at > _STABLE_AFTER_S:
                entry.crashes = 0
            entry.crashes += 1
            delay = restart_delay(entry.crashes)
            entry.restart_at = now + delay
            log.warning("%s exited with code %s; restarting in %.1fs", child.spec.name, code, delay)
        elif now >= entry.restart_at:
            entry.restart_at = None
            entry.started_at = now
            entry.exit_reported = False
            try:
                child.start()
            except OSError:
                log.exception("%s could not be restarted", child.spec.name)
                return
            log.warning("%s restarted (pid %s)", child.spec.name, child.pid)
            self._on_change(self)

    def stop_all(self, timeout: float) -> None:
        """Stop children in reverse start order, so dependents go before what they depend on."""
        for entry in reversed(self._entries):
            entry.restart_at = None
            if entry.child.is_running:
                log.info("stopping %s (pid %s)", entry.child.spec.name, entry.child.pid)
            entry.child.stop(timeout)


def _should_restart(policy: RestartPolicy, returncode: int | None) -> bool:
    if policy is RestartPolicy.ALWAYS:
        return True
    if policy is RestartPolicy.ON_FAILURE:
        return returncode != 0
    return False
