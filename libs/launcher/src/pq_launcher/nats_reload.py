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
    # One server, or every node of a cluster (each reads its own copy of auth.conf).
    nodes = [
        (c.pid, c.urls.get("nats_monitor_url") or record.endpoints.get("nats_monitor_url"))
        for c in record.processes
        if NATS_PROCESS in (c.name, c.service) and c.pid is not None and pid_alive(c.pid)
    ]
    reloaded = False
    for pid, monitor_url in nodes:
        if pid is not None and monitor_url is not None:
            _reload(pid, monitor_url, timeout_s)
            reloaded = True
    return reloaded


def _reload(pid: int, monitor_url: str, timeout_s: float) -> None:
    before = _config_load_time(monitor_url)
    os.kill(pid, signal.SIGHUP)
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        now = _config_load_time(monitor_url)
        if now is not None and now != before:
            return
        time.sleep(0.05)
    raise ReloadFailed(f"nats-server (pid {pid}) did not reload within {timeout_s:.0f} s")
