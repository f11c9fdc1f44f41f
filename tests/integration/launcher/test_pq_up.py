"""`pq up` as a user runs it: ready, published in stack.json, and gone without a trace."""

from __future__ import annotations

import os
import signal

import httpx
import pytest
import redis

from pq_launcher.bus_auth import BusAuth
from pq_launcher.servers import NatsServer, RedisServer
from pq_launcher.stack_file import pid_alive
from tests.integration.launcher.running_stack import PqUp, wait_all_gone
from tests.support.waiting import wait_until

# The supervisor's mechanics need only the servers; the full stack is started where the
# promise is about every process (Ctrl-C and a killed launcher leave nothing behind).
SERVERS_ONLY = "nats-server,redis-server"


def test_ctrl_c_stops_the_whole_stack_leaving_no_process(pq_up: PqUp) -> None:
    stack = pq_up()
    record = stack.wait_ready()
    assert record.launcher_pid == stack.process.pid
    names = [child.name for child in record.processes]
    assert names[:2] == ["nats-server", "redis-server"]  # servers first: services need them
    assert names.index("tv-simulator") < names.index("ingest-history")  # it needs TradingView
    assert names[-1] == "gateway"  # the public door opens last, once everything behind it is up
    child_pids = [child.pid for child in record.processes if child.pid is not None]
    assert len(child_pids) == len(names)
    assert all(pid_alive(pid) for pid in child_pids)

    monitor = record.endpoints["nats_monitor_url"]
    assert httpx.get(f"{monitor}/healthz?js-enabled-only=true").is_success
    assert httpx.get(f"{monitor}/varz").json()["jetstream"]["config"]["sync_always"] is True
    with pytest.raises(redis.AuthenticationError):  # no password, no Redis
        redis.Redis.from_url(record.endpoints["redis_url"]).ping()
    client = redis.Redis.from_url(BusAuth(stack.data_dir).redis_url(record.endpoints["redis_url"]))
    assert client.ping()
    client.close()
    assert "ready" in stack.output()

    stack.process.send_signal(signal.SIGINT)

    assert stack.wait_exit() == 0
    wait_all_gone(child_pids)
    assert not stack.stack_file.exists()


def test_sigterm_stops_servers_and_services_leaving_no_process(pq_up: PqUp) -> None:
    """What an init system or `kill` sends; the same shutdown as Ctrl-C, on a smaller stack."""
    stack = pq_up(PQ_STACK_ONLY=f"{SERVERS_ONLY},tv-simulator,ingest-history")
    record = stack.wait_ready()
    child_pids = [child.pid for child in record.processes if child.pid is not None]
    assert len(child_pids) == 4

    stack.process.send_signal(signal.SIGTERM)

    assert stack.wait_exit() == 0
    wait_all_gone(child_pids)
    assert not stack.stack_file.exists()


def test_children_die_when_the_launcher_is_killed(pq_up: PqUp) -> None:
    stack = pq_up()
    record = stack.wait_ready()
    child_pids = [child.pid for child in record.processes if child.pid is not None]

    stack.process.kill()
    stack.process.wait()

    wait_all_gone(child_pids)


def test_crashed_child_is_restarted_and_republished(pq_up: PqUp) -> None:
    stack = pq_up(PQ_STACK_ONLY=SERVERS_ONLY)
    record = stack.wait_ready()
    nats_pid = next(child.pid for child in record.processes if child.name == "nats-server")
    assert nats_pid is not None

    os.kill(nats_pid, signal.SIGKILL)

    def restarted() -> bool:
        current = stack.wait_ready()
        pid = next(child.pid for child in current.processes if child.name == "nats-server")
        return pid not in (None, nats_pid) and pid_alive(pid or 0)

    wait_until(restarted, timeout=15, what="nats-server restarted with a new pid")
    monitor = record.endpoints["nats_monitor_url"]
    wait_until(
        lambda: httpx.get(f"{monitor}/healthz").is_success,
        timeout=10,
        what="restarted nats-server healthy",
    )
    assert "restarting" in stack.output()


def test_external_servers_are_used_instead_of_starting_own(
    pq_up: PqUp, nats_server: NatsServer, redis_server: RedisServer
) -> None:
    stack = pq_up(
        PQ_NATS_URL=nats_server.url, PQ_REDIS_URL=redis_server.url, PQ_STACK_ONLY="tv-simulator"
    )
    record = stack.wait_ready()

    names = [child.name for child in record.processes]
    assert "nats-server" not in names
    assert "redis-server" not in names
    assert record.external == ["nats", "redis"]
    # Credentials in PQ_NATS_URL / PQ_REDIS_URL never reach stack.json.
    assert record.endpoints["nats_url"] == nats_server.config.url
    assert record.endpoints["redis_url"] == redis_server.config.url

    stack.process.send_signal(signal.SIGINT)
    assert stack.wait_exit() == 0
    assert nats_server.is_running
    assert redis_server.is_running


def test_status_reports_the_running_stack(pq_up: PqUp) -> None:
    stack = pq_up(PQ_STACK_ONLY=SERVERS_ONLY)
    record = stack.wait_ready()

    running = stack.pq("status")
    assert running.returncode == 0, running.stdout + running.stderr
    assert record.endpoints["nats_url"] in running.stdout

    stack.process.send_signal(signal.SIGINT)
    stack.wait_exit()
    assert stack.pq("status").returncode == 1


def test_second_launcher_on_same_data_dir_refuses(pq_up: PqUp) -> None:
    stack = pq_up(PQ_STACK_ONLY=SERVERS_ONLY)
    stack.wait_ready()

    second = stack.pq("up")

    assert second.returncode == 1
    assert "already runs" in second.stderr
    assert stack.process.poll() is None


def test_stack_only_starts_the_named_processes(pq_up: PqUp) -> None:
    stack = pq_up(PQ_STACK_ONLY="redis-server")
    record = stack.wait_ready()
    assert [child.name for child in record.processes] == ["redis-server"]
    stack.process.send_signal(signal.SIGINT)
    assert stack.wait_exit() == 0


def test_stack_only_refuses_an_unknown_name(pq_up: PqUp) -> None:
    stack = pq_up(PQ_STACK_ONLY="redis-server,no-such-thing")
    assert stack.wait_exit() != 0
    assert "no-such-thing" in stack.output()
