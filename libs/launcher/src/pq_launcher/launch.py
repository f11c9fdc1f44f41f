"""`pq up`: start the stack, publish stack.json, supervise until told to stop, leave nothing."""

from __future__ import annotations

import logging
import os
import threading
import time
from urllib.parse import urlsplit

from pq_launcher.child import ChildFailedToStart
from pq_launcher.readiness import ReadinessProbe, RedisPingProbe, TcpProbe
from pq_launcher.settings import LauncherSettings
from pq_launcher.stack import external_endpoints, stack_processes
from pq_launcher.stack_file import (
    ChildRecord,
    StackRecord,
    pid_alive,
    read_stack_file,
    write_stack_file,
)
from pq_launcher.supervisor import Supervisor

log = logging.getLogger("pq.launcher")


def run_stack(settings: LauncherSettings, stop: threading.Event) -> int:
    """Blocks until `stop` is set; returns the process exit code."""
    other = _other_running_launcher(settings)
    if other is not None:
        log.error("a stack already runs from %s (launcher pid %s)", settings.data_path, other)
        return 1
    settings.log_dir.mkdir(parents=True, exist_ok=True)
    began = time.monotonic()
    supervisor = Supervisor(
        stack_processes(settings),
        settings.log_dir,
        # A restarted child has a new PID: keep stack.json telling the truth.
        on_change=lambda restarted: write_stack_file(
            settings.stack_file, _record(settings, restarted)
        ),
    )
    try:
        supervisor.start_all(settings.ready_timeout, stop)
        if stop.is_set():
            return 0
        _check_external(settings)
        record = _record(settings, supervisor)
        write_stack_file(settings.stack_file, record)
        print(_banner(record, time.monotonic() - began, settings), flush=True)
        supervisor.supervise(stop)
        return 0
    except ChildFailedToStart as failure:
        if stop.is_set():  # Ctrl-C while starting is a request, not a failure
            return 0
        log.error("stack failed to start: %s", failure)
        return 1
    finally:
        supervisor.stop_all(settings.stop_timeout)
        mine = read_stack_file(settings.stack_file)
        if mine is not None and mine.launcher_pid == os.getpid():
            settings.stack_file.unlink(missing_ok=True)
        log.info("stack stopped")


def _other_running_launcher(settings: LauncherSettings) -> int | None:
    previous = read_stack_file(settings.stack_file)
    if previous is None or previous.launcher_pid == os.getpid():
        return None
    return previous.launcher_pid if pid_alive(previous.launcher_pid) else None


def _record(settings: LauncherSettings, supervisor: Supervisor) -> StackRecord:
    endpoints = dict(external_endpoints(settings))
    for child in supervisor.children:
        endpoints.update(child.spec.endpoints)
    return StackRecord(
        launcher_pid=os.getpid(),
        data_dir=str(settings.data_path),
        endpoints=endpoints,
        processes=[
            ChildRecord(
                child.spec.name,
                child.pid,
                str(child.log_path) if child.log_path else None,
                urls=dict(child.spec.urls),
                service=child.spec.service,
            )
            for child in supervisor.children
        ],
        external=sorted(key.removesuffix("_url") for key in external_endpoints(settings)),
    )


def _check_external(settings: LauncherSettings) -> None:
    """External servers are not ours to wait for; say plainly if one does not answer."""
    probes: list[tuple[str, ReadinessProbe]] = []
    if settings.nats_url is not None:
        address = urlsplit(settings.nats_url.split(",")[0])
        probes.append(("NATS", TcpProbe(address.hostname or "127.0.0.1", address.port or 4222)))
    if settings.redis_url is not None:
        probes.append(("Redis", RedisPingProbe(settings.redis_url)))
    for what, probe in probes:
        if probe():
            log.info("external %s answers (%s)", what, probe.describe())
        else:
            log.warning("external %s does not answer (%s)", what, probe.describe())


def _banner(record: StackRecord, took: float, settings: LauncherSettings) -> str:
    lines = [f"PocketQuant stack ready in {took:.1f}s — Ctrl-C stops everything", ""]
    width = max((len(key) for key in record.endpoints), default=0)
    lines += [f"  {key.ljust(width)}  {url}" for key, url in record.endpoints.items()]
    lines.append("")
    for child in record.processes:
        url = child.urls.get("http_url") or child.urls.get("nats_url") or ""
        lines.append(f"  {child.name:<16} pid {child.pid:<8} {url:<28} log {child.log}")
    for name in record.external:
        lines.append(f"  {name:<14} external (PQ_{name.upper()})")
    lines += ["", f"  data {record.data_dir}   endpoints {settings.stack_file}"]
    return "\n".join(lines)
