"""Look inside a `PQ_NATS_CLUSTER=3` stack: which node leads what, and whether it is whole.

Node processes are `nats-server-<i>` in stack.json (server name `pq-node-<i>`), each with
its client and monitoring URL. A stream's leader comes from stream info, the JetStream
meta leader from a node's /jsz, as an operator would read them (`nats stream info`).
"""

from __future__ import annotations

import asyncio
import time

import httpx
import nats

from pq_launcher.stack_file import read_stack_file
from tests.support.stack_runner import E2eStack
from tests.support.waiting import wait_until

NODE_SERVICE = "nats-server"


def node_process(server_name: str) -> str:
    """`pq-node-2` -> `nats-server-2` (the stack.json process running it)."""
    return f"{NODE_SERVICE}-{server_name.rsplit('-', 1)[1]}"


def node_monitors(stack: E2eStack) -> dict[str, str]:
    record = read_stack_file(stack.data_dir / "stack.json")
    assert record is not None, "stack.json is gone"
    return {
        child.name: child.urls["nats_monitor_url"]
        for child in record.processes
        if child.service == NODE_SERVICE
    }


def _get_json(url: str) -> dict[str, object] | None:
    try:
        answer = httpx.get(url, timeout=2)
        return answer.json() if answer.status_code == 200 else None
    except (httpx.HTTPError, ValueError):
        return None


def meta_leader(stack: E2eStack) -> str | None:
    """The process name of the JetStream meta leader, as any live node reports it."""
    for url in node_monitors(stack).values():
        jsz = _get_json(f"{url}/jsz")
        meta = jsz.get("meta_cluster") if jsz else None
        if isinstance(meta, dict) and meta.get("leader"):
            return node_process(str(meta["leader"]))
    return None


def stream_leader(stack: E2eStack, stream: str) -> str:
    """The process name of the node leading `stream` (from stream info)."""

    async def ask() -> str:
        nc = await nats.connect(stack.nats_urls, name="cluster-probe", connect_timeout=5)
        try:
            info = await nc.jetstream().stream_info(stream)
        finally:
            await nc.close()
        assert info.cluster is not None, f"{stream}: not clustered"
        assert info.cluster.leader, f"{stream}: no leader"
        assert info.config.num_replicas == 3, f"{stream} has {info.config.num_replicas} replicas"
        return node_process(info.cluster.leader)

    return asyncio.run(ask())


def wait_cluster_whole(stack: E2eStack, timeout: float, after: str) -> float:
    """Wait until every node's /healthz is 200 (JetStream current on it: meta, every stream
    and consumer replica caught up) and a meta leader is known; returns the seconds taken."""
    began = time.monotonic()
    last: dict[str, int | str] = {}

    def whole() -> bool:
        last.clear()
        for name, url in node_monitors(stack).items():
            code: int | str
            try:
                code = httpx.get(f"{url}/healthz", timeout=2).status_code
            except httpx.HTTPError as exc:
                code = type(exc).__name__
            if code != 200:
                last[name] = code
        return not last and meta_leader(stack) is not None

    try:
        wait_until(whole, timeout=timeout, interval=0.25, what=f"cluster whole after {after}")
    except AssertionError:
        raise AssertionError(f"cluster not whole {timeout}s after {after}: {last}") from None
    return time.monotonic() - began
