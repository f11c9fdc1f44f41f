"""PQ_QUOTES_PARTITIONED: PQ_QUOTES sourced with a subject transform that adds a partition.

`pq.quotes.<ex>.<code>` becomes `pq.qp.<p>.<ex>.<code>`, where the server computes
`p = partition(P, ex, code)` (a deterministic hash of the two tokens): a symbol always
lands in the same partition, so per-symbol order holds inside one partition consumer.
The public subjects and PQ_QUOTES stay as the contract has them; this stream is the
bar-builder's own work stream (not contract), kept `max_age` (short) only.
"""

from __future__ import annotations

from dataclasses import dataclass

from nats.js import JetStreamContext
from nats.js.api import (
    RetentionPolicy,
    StorageType,
    StreamConfig,
    StreamInfo,
    StreamSource,
    SubjectTransform,
)

from pq_domain.subjects import STREAM_QUOTES
from pq_runtime.messaging.topology import ensure_stream

PARTITIONED_STREAM = "PQ_QUOTES_PARTITIONED"
PARTITION_PREFIX = "pq.qp"
QUOTES_PATTERN = "pq.quotes.*.*"


@dataclass(frozen=True, slots=True)
class PartitionedStream:
    partition_count: int
    max_age_s: float = 24 * 3600.0
    replicas: int = 1
    duplicate_window_s: float = 120.0
    name: str = PARTITIONED_STREAM
    source: str = STREAM_QUOTES.name

    def transform(self) -> SubjectTransform:
        dest = (
            f"{PARTITION_PREFIX}.{{{{partition({self.partition_count},1,2)}}}}"
            ".{{wildcard(1)}}.{{wildcard(2)}}"
        )
        return SubjectTransform(src=QUOTES_PATTERN, dest=dest)

    def config(self) -> StreamConfig:
        return StreamConfig(
            name=self.name,
            # No subjects of its own: everything comes from the source, transformed.
            sources=[StreamSource(name=self.source, subject_transforms=[self.transform()])],
            retention=RetentionPolicy.LIMITS,
            storage=StorageType.FILE,
            num_replicas=self.replicas,
            max_age=self.max_age_s,
            duplicate_window=self.duplicate_window_s,
        )

    async def ensure(self, js: JetStreamContext) -> StreamInfo:
        info = await ensure_stream(js, self.config())
        have = info.config.sources or []
        if [s.as_dict() for s in have] != [s.as_dict() for s in self.config().sources or []]:
            # ensure_stream compares contract fields only; a changed partition count
            # changes the transform, which only applies to quotes stored from now on.
            info = await js.update_stream(self.config())
        return info


def partition_filter(partition: int) -> str:
    return f"{PARTITION_PREFIX}.{partition}.>"


def consumer_name(partition: int) -> str:
    return f"bar-builder-p{partition}"


def partition_of_subject(subject: str) -> int:
    """The partition token of a `pq.qp.<p>.<ex>.<code>` subject."""
    return int(subject.split(".", 3)[2])
