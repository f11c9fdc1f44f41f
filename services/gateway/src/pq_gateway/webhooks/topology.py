"""The gateway's own JetStream objects for webhooks: the delivery-task stream and the
consumers of the event streams (they start at new events: webhooks are not a replay)."""

from __future__ import annotations

from dataclasses import dataclass

from nats.js.api import ConsumerConfig, DeliverPolicy, RetentionPolicy, StorageType, StreamConfig

from pq_domain.subjects import (
    BARS_COMPLETED_ALL,
    BARS_SYNCED_ALL,
    STREAM_BARS,
    STREAM_JOBS,
    SYNC_JOB_EVENTS,
)
from pq_runtime.messaging import ConsumerSpec

DELIVERIES_STREAM = "PQ_WEBHOOK_DELIVERIES"
DELIVERIES_PREFIX = "pq.webhooks.deliveries"
DAY_S = 24 * 3600.0


def delivery_subject(webhook_id: str) -> str:
    return f"{DELIVERIES_PREFIX}.{webhook_id}"


def deliveries_stream(replicas: int) -> StreamConfig:
    # Work queue: a task is gone once delivered (or given up); a day bounds a dead endpoint.
    return StreamConfig(
        name=DELIVERIES_STREAM,
        subjects=[f"{DELIVERIES_PREFIX}.>"],
        retention=RetentionPolicy.WORK_QUEUE,
        storage=StorageType.FILE,
        num_replicas=replicas,
        duplicate_window=120.0,
        max_age=DAY_S,
    )


@dataclass(frozen=True, slots=True)
class NewEventsSpec(ConsumerSpec):
    """A durable consumer that starts at the stream's end when first created."""

    def config(self) -> ConsumerConfig:
        config = ConsumerSpec.config(self)
        config.deliver_policy = DeliverPolicy.NEW
        return config


def fanout_specs() -> list[ConsumerSpec]:
    return [
        NewEventsSpec(
            stream=STREAM_BARS.name,
            durable="gateway-webhooks-bars",
            filter_subjects=(BARS_COMPLETED_ALL, BARS_SYNCED_ALL),
            batch_size=100,
            backoff_s=(1.0, 5.0, 30.0),
            max_deliver=20,
        ),
        NewEventsSpec(
            stream=STREAM_JOBS.name,
            durable="gateway-webhooks-jobs",
            filter_subjects=(SYNC_JOB_EVENTS,),
            batch_size=100,
            backoff_s=(1.0, 5.0, 30.0),
            max_deliver=20,
        ),
    ]


def delivery_spec(
    max_attempts: int, backoff_s: tuple[float, ...], timeout_s: float
) -> ConsumerSpec:
    return ConsumerSpec(
        stream=DELIVERIES_STREAM,
        durable="gateway-webhook-delivery",
        batch_size=32,
        max_deliver=max_attempts,
        backoff_s=backoff_s,
        ack_wait_s=timeout_s * 3,
        fetch_timeout_s=0.5,
    )
