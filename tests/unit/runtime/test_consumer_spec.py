from __future__ import annotations

from nats.js.api import AckPolicy

from pq_runtime.messaging import ConsumerSpec


def test_backoff_per_attempt_then_the_last_delay() -> None:
    spec = ConsumerSpec("PQ_BARS", "query", backoff_s=(1.0, 5.0))
    assert [spec.delay_after(n) for n in (1, 2, 3, 9)] == [1.0, 5.0, 5.0, 5.0]
    assert ConsumerSpec("PQ_BARS", "q", backoff_s=()).delay_after(1) == 0.0


def test_consumer_config_is_durable_explicit_ack_with_one_spare_delivery() -> None:
    cfg = ConsumerSpec("PQ_BARS", "query", ("pq.bars.synced.>",), max_deliver=4).config()
    assert cfg.durable_name == "query"
    assert cfg.ack_policy == AckPolicy.EXPLICIT
    assert cfg.max_deliver == 5
    assert cfg.filter_subject == "pq.bars.synced.>"
    assert cfg.filter_subjects is None


def test_several_filters() -> None:
    cfg = ConsumerSpec("PQ_BARS", "q", ("pq.bars.synced.>", "pq.bars.completed.>")).config()
    assert cfg.filter_subject is None
    assert cfg.filter_subjects == ["pq.bars.synced.>", "pq.bars.completed.>"]
