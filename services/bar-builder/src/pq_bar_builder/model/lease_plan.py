"""Pure rules of lease ownership: how many partitions to hold, in which order to try them."""

from __future__ import annotations

import math
import zlib

LEASE_PREFIX = "partition."
INSTANCE_PREFIX = "instance."


def lease_key(partition: int) -> str:
    return f"{LEASE_PREFIX}{partition}"


def instance_key(instance_id: str) -> str:
    return f"{INSTANCE_PREFIX}{instance_id}"


def fair_share(partition_count: int, live_instances: int) -> int:
    """Each instance holds up to ceil(P / live instances) partitions."""
    return math.ceil(partition_count / max(1, live_instances))


def acquisition_order(partition_count: int, instance_id: str) -> list[int]:
    """Every partition, starting at one derived from the instance id, so that instances
    joining together try different partitions first instead of racing for partition 0."""
    start = zlib.crc32(instance_id.encode()) % partition_count
    return [(start + i) % partition_count for i in range(partition_count)]


def release_order(held: list[int], partition_count: int, instance_id: str) -> list[int]:
    """Partitions to give up first: the ones furthest from the instance's own start."""
    rank = {p: i for i, p in enumerate(acquisition_order(partition_count, instance_id))}
    return sorted(held, key=lambda p: rank[p], reverse=True)
