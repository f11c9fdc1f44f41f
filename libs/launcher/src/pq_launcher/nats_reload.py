"""Apply a rewritten auth.conf to the running embedded nats-server without restarting it:
SIGHUP (nats-server's reload signal), then wait until /varz reports the new load time."""

from __future__ import annotations

import os
import signal
import time

import httpx

from pq_launcher.settings import LauncherSettings
from pq_launcher.stack_file import pid_alive, read_stack_file

NATS_PROCESS = "nats-server"


class ReloadFailed(RuntimeError):
    """The server did not confirm the new configuration in time."""


def _config_load_time(monitor_url: str) -> str | None:
    try:
        varz = httpx.get(f"{monitor_url}/varz", timeout=2.0).json()
    except (httpx.HTTPError, ValueError):
        return None
    value = varz.get("config_load_time")
    return str(value) if value is not None else None


def reload_running_nats(settings: LauncherSettings, timeout_s: float = 10.0) -> bool:
    """True if a running stack's nats-server reloaded; False when none runs (the next
    `pq up` reads the file anyway)."""
    record = read_stack_file(settings.stack_file)
    if record is None or not pid_alive(record.launcher_pid):
        return False
    pid = next((c.pid for c in record.processes if c.name == NATS_PROCESS), None)
    monitor_url = record.endpoints.get("nats_monitor_url")
    if pid is None or monitor_url is None or not pid_alive(pid):
        return False
    before = _config_load_time(monitor_url)
    os.kill(pid, signal.SIGHUP)
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        now = _config_load_time(monitor_url)
        if now is not None and now != before:
            return True
        time.sleep(0.05)
    raise ReloadFailed(f"nats-server (pid {pid}) did not reload within {timeout_s:.0f} s")
