"""The consumer both the killed worker and the restarted test consumer use."""

from __future__ import annotations

from pq_domain.subjects import STREAM_QUOTES
from pq_runtime.messaging import ConsumerSpec


def kill_test_spec() -> ConsumerSpec:
    return ConsumerSpec(
        stream=STREAM_QUOTES.name,
        durable="projector",
        batch_size=20,
        ack_wait_s=1.0,  # the dead worker's un-acked messages come back quickly
        fetch_timeout_s=0.5,
    )
