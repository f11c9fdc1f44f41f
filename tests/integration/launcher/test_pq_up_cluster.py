"""`PQ_NATS_CLUSTER=3 pq up`: three routed JetStream nodes, each listed with its URL and
PID, R3 streams possible once it says ready, a dead node restarted; and PQ_REPLICAS."""

from __future__ import annotations

import asyncio
import os
import signal

import httpx
import nats
from nats.js.api import StreamConfig

from pq_launcher.bus_auth import BusAuth
from tests.integration.launcher.running_stack import PqUp
from tests.support.nats_cluster import nats_cluster_env
from tests.support.waiting import wait_until


async def r3_stream_accepts_a_publish(urls: list[str]) -> int:
    nc = await nats.connect(urls, connect_timeout=5)
    try:
        js = nc.jetstream()
        info = await js.add_stream(StreamConfig(name="T", subjects=["t.>"], num_replicas=3))
        assert info.cluster is not None
        assert len(info.cluster.replicas or []) == 2  # the leader and two followers
        ack = await js.publish("t.1", b"x")
        return ack.seq
    finally:
        await nc.close()


def test_a_three_node_cluster_is_listed_ready_and_restarted(pq_up: PqUp) -> None:
    stack = pq_up(**nats_cluster_env(PQ_STACK_ONLY="nats-server,redis-server"))
    record = stack.wait_ready()
    nodes = [c for c in record.processes if c.service == "nats-server"]
    assert [n.name for n in nodes] == ["nats-server-0", "nats-server-1", "nats-server-2"]
    assert all(n.pid for n in nodes)
    urls = [n.urls["nats_url"] for n in nodes]
    assert record.endpoints["nats_url"] == ",".join(urls)
    for node in nodes:
        varz = httpx.get(f"{node.urls['nats_monitor_url']}/varz").json()
        assert varz["server_name"] == f"pq-node-{node.name[-1]}"
        assert varz["cluster"]["name"] == "pq"
        assert varz["jetstream"]["config"]["sync_always"] is True
    jsz = httpx.get(f"{nodes[0].urls['nats_monitor_url']}/jsz").json()
    assert jsz["meta_cluster"]["leader"]  # ready meant: a meta leader exists
    admin = BusAuth(stack.data_dir)  # every node refuses anonymous clients
    assert asyncio.run(r3_stream_accepts_a_publish([admin.nats_url_as(u) for u in urls])) == 1

    victim = nodes[1]
    assert victim.pid is not None
    os.kill(victim.pid, signal.SIGKILL)

    def restarted() -> bool:
        now = stack.wait_ready()
        pid = next(c.pid for c in now.processes if c.name == victim.name)
        return pid not in (None, victim.pid)

    wait_until(restarted, timeout=20, what="the killed node restarted with a new pid")
    monitor = victim.urls["nats_monitor_url"]
    wait_until(lambda: httpx.get(f"{monitor}/healthz").is_success, timeout=30, what="node current")
    stack.process.send_signal(signal.SIGINT)
    assert stack.wait_exit() == 0


def test_replicas_are_listed_each_on_its_own_port(pq_up: PqUp) -> None:
    stack = pq_up(
        PQ_STACK_ONLY="nats-server,redis-server,tv-simulator,ingest-history",
        PQ_REPLICAS="ingest-history=2",
    )
    record = stack.wait_ready(timeout=120)
    replicas = [c for c in record.processes if c.service == "ingest-history"]
    assert [r.name for r in replicas] == ["ingest-history-0", "ingest-history-1"]
    urls = {r.urls["http_url"] for r in replicas}
    assert len(urls) == 2
    for url in urls:
        assert httpx.get(f"{url}/health", timeout=5).status_code == 200
    stack.process.send_signal(signal.SIGINT)
    assert stack.wait_exit() == 0
