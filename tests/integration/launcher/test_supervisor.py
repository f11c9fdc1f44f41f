"""The supervisor with plain Python children: order, readiness, restarts, and clean stops."""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from pq_launcher import ChildFailedToStart, ProcessSpec, RestartPolicy, Supervisor, TcpProbe
from pq_launcher.ports import LOOPBACK, free_port
from pq_launcher.stack_file import pid_alive
from tests.support.waiting import wait_until

SERVE_TCP = (
    "import socket,sys,time;s=socket.create_server(('127.0.0.1',int(sys.argv[1]))); time.sleep(600)"
)
SPAWN_GRANDCHILD = (
    "import subprocess,sys,time;"
    "p=subprocess.Popen([sys.executable,'-c','import time; time.sleep(600)']);"
    "open(sys.argv[1],'w').write(str(p.pid)); time.sleep(600)"
)


def python_spec(
    name: str,
    code: str,
    *args: str,
    readiness: TcpProbe | None = None,
    restart: RestartPolicy = RestartPolicy.ALWAYS,
) -> ProcessSpec:
    argv = (sys.executable, "-c", code, *args)
    return ProcessSpec(name=name, argv=argv, readiness=readiness, restart=restart)


@pytest.fixture
def stop_event() -> threading.Event:
    return threading.Event()


@pytest.fixture
def supervisors() -> Iterator[list[Supervisor]]:
    started: list[Supervisor] = []
    yield started
    for supervisor in started:
        supervisor.stop_all(timeout=2)


def test_starts_in_order_once_ready_and_stops_everything(
    tmp_path: Path, stop_event: threading.Event, supervisors: list[Supervisor]
) -> None:
    port = free_port()
    pid_file = tmp_path / "grandchild.pid"
    supervisor = Supervisor(
        [
            python_spec("server", SERVE_TCP, str(port), readiness=TcpProbe(LOOPBACK, port)),
            python_spec("spawner", SPAWN_GRANDCHILD, str(pid_file)),
        ],
        tmp_path / "logs",
    )
    supervisors.append(supervisor)

    supervisor.start_all(ready_timeout=10, stop=stop_event)
    server, spawner = supervisor.children
    assert server.is_running
    assert spawner.is_running
    grandchild = int(
        wait_until(lambda: pid_file.read_text() if pid_file.exists() else None, what="pid")
    )

    pids = [server.pid, spawner.pid, grandchild]
    supervisor.stop_all(timeout=2)

    wait_until(lambda: not any(pid_alive(pid) for pid in pids if pid), what="all gone")


def test_child_that_never_gets_ready_fails_the_start(
    tmp_path: Path, stop_event: threading.Event, supervisors: list[Supervisor]
) -> None:
    never_listens = TcpProbe(LOOPBACK, free_port())
    sleeper = python_spec("silent", "import time; time.sleep(600)", readiness=never_listens)
    supervisor = Supervisor([sleeper], tmp_path)
    supervisors.append(supervisor)

    with pytest.raises(ChildFailedToStart, match="silent not ready"):
        supervisor.start_all(ready_timeout=0.5, stop=stop_event)


def test_crashed_child_is_restarted_but_finished_one_is_not(
    tmp_path: Path, stop_event: threading.Event, supervisors: list[Supervisor]
) -> None:
    count_file = tmp_path / "starts"
    # The first start lives a moment, so that start_all sees it running (a child that
    # exits before its readiness check fails the start); the restarts crash at once.
    count_starts = (
        f"import os,sys,time; first=not os.path.exists({str(count_file)!r}); "
        f"open({str(count_file)!r},'a').write('x'); time.sleep(1.0 if first else 0); sys.exit(3)"
    )
    restarts: list[int] = []
    supervisor = Supervisor(
        [
            python_spec("crasher", count_starts, restart=RestartPolicy.ON_FAILURE),
            python_spec("done", "pass", restart=RestartPolicy.ON_FAILURE),
        ],
        tmp_path,
        on_change=lambda _: restarts.append(1),
    )
    supervisors.append(supervisor)
    supervisor.start_all(ready_timeout=5, stop=stop_event)
    watcher = threading.Thread(target=supervisor.supervise, args=(stop_event,))
    watcher.start()
    try:
        wait_until(
            lambda: count_file.exists() and len(count_file.read_text()) >= 3, what="3 starts"
        )
    finally:
        stop_event.set()
        watcher.join()
    assert len(restarts) >= 2
    assert supervisor.children[1].returncode == 0
