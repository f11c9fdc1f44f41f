"""PQ_REPLICAS: how many processes of each service `pq up` runs, and on which ports.

Replica 0 keeps the service's configured port (PQ_<NAME>_PORT); the others get ports
the OS reports free when the stack starts, kept for the launcher's lifetime (a restarted
replica comes back on its own port). All replicas of a service share its store (the
SQLite file under the data dir, as replicas share MongoDB in production) and split the
work as in production: work-queue consumers, shards, partition leases.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence

from pq_launcher.ports import LOOPBACK, free_port
from pq_launcher.spec import ProcessSpec

SERVICES = ("gateway", "query", "ingest-history", "ingest-stream", "bar-builder")
MAX_REPLICAS = 8


def parse_replicas(text: str) -> dict[str, int]:
    """`gateway=2,query=2` -> {"gateway": 2, "query": 2}; a clear error for anything else."""
    counts: dict[str, int] = {}
    for item in (part.strip() for part in text.split(",")):
        if not item:
            continue
        name, sep, value = item.partition("=")
        name = name.strip()
        if not sep or name not in SERVICES:
            raise ValueError(
                f"PQ_REPLICAS: {item!r} is not <service>=<count> with a service among "
                f"{', '.join(SERVICES)}"
            )
        try:
            count = int(value)
        except ValueError:
            raise ValueError(f"PQ_REPLICAS: {name}={value!r} is not a whole number") from None
        if not 1 <= count <= MAX_REPLICAS:
            raise ValueError(f"PQ_REPLICAS: {name}={count} is outside 1..{MAX_REPLICAS}")
        counts[name] = count
    return counts


def replica_ports(first: int, count: int) -> list[int]:
    """The configured port for replica 0, distinct free ports for the others."""
    ports = [first]
    while len(ports) < count:
        port = free_port()
        if port not in ports:
            ports.append(port)
    return ports


def http_url(port: int) -> str:
    return f"http://{LOOPBACK}:{port}"


def replicate(specs: Sequence[ProcessSpec], ports: Sequence[int]) -> list[ProcessSpec]:
    """Name replicas `<service>-<i>` (a single process keeps its plain name), each with
    its own URL listed; only replica 0 publishes the service's stack-wide endpoint."""
    if len(specs) == 1:
        return [dataclasses.replace(specs[0], urls={"http_url": http_url(ports[0])})]
    named = []
    for i, (spec, port) in enumerate(zip(specs, ports, strict=True)):
        endpoints: Mapping[str, str] = spec.endpoints if i == 0 else {}
        named.append(
            dataclasses.replace(
                spec,
                name=f"{spec.name}-{i}",
                group=spec.name,
                urls={"http_url": http_url(port)},
                endpoints=endpoints,
            )
        )
    return named
