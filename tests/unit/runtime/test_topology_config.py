from __future__ import annotations

from nats.js.api import RetentionPolicy, StorageType

from pq_domain.subjects import STREAM_BARS, STREAM_CMD, STREAM_DLQ, STREAM_QUOTES
from pq_runtime.messaging import TopologySettings, topology_from
from pq_runtime.messaging.topology import stream_config
from pq_runtime.settings import NatsSettings


def test_work_queue_and_limits() -> None:
    s = TopologySettings()
    assert stream_config(STREAM_CMD, s).retention == RetentionPolicy.WORK_QUEUE
    assert stream_config(STREAM_BARS, s).retention == RetentionPolicy.LIMITS


def test_file_storage_replicas_and_a_duplicate_window_of_at_least_two_minutes() -> None:
    cfg = stream_config(STREAM_BARS, TopologySettings(replicas=3, duplicate_window_s=10))
    assert cfg.storage == StorageType.FILE
    assert cfg.num_replicas == 3
    assert cfg.duplicate_window == 120.0


def test_age_limits() -> None:
    s = TopologySettings(quotes_max_age_s=3600, dlq_max_age_s=7200)
    assert stream_config(STREAM_QUOTES, s).max_age == 3600
    assert stream_config(STREAM_DLQ, s).max_age == 7200
    assert stream_config(STREAM_BARS, s).max_age == 0  # kept: the history to replay


def test_every_service_derives_its_topology_from_the_shared_nats_settings() -> None:
    s = NatsSettings(stream_replicas=3, stream_duplicate_window_s=600, quotes_max_age_s=60)
    assert topology_from(s) == TopologySettings(
        replicas=3, duplicate_window_s=600, quotes_max_age_s=60, dlq_max_age_s=s.dlq_max_age_s
    )
