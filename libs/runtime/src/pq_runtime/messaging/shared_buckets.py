"""KV buckets that more than one service creates: defined once, because creating a
bucket that exists with another config fails while an identical create is idempotent."""

from __future__ import annotations

from nats.js.api import KeyValueConfig, StorageType

SCHEDULES_BUCKET = "PQ_SCHEDULES"


def schedules_bucket_config(replicas: int) -> KeyValueConfig:
    """PQ_SCHEDULES: the gateway edits schedules, ingest-history fires them.

    history=1: a schedule is current state; the revision is all the CAS needs.
    """
    return KeyValueConfig(
        bucket=SCHEDULES_BUCKET,
        description="Scheduled re-syncs: ingest-history fires them, the gateway edits them",
        history=1,
        storage=StorageType.FILE,
        replicas=replicas,
    )
