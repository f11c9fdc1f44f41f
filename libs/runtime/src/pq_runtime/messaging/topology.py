"""Topology as code: the contract's streams, ensured idempotently at service start.

A stream that exists with other settings is updated (`update_stream`) rather than
failing; settings the server cannot change in place (retention, storage) raise
`TopologyError` naming the stream and the setting.
"""

from __future__ import annotations

from dataclasses import dataclass

from nats.js import JetStreamContext
from nats.js.api import RetentionPolicy, StorageType, StreamConfig, StreamInfo
from nats.js.errors import NotFoundError

from pq_domain.subjects import ALL_STREAMS, STREAM_DLQ, STREAM_QUOTES, StreamSpec

from ..settings import NatsSettings


class TopologyError(RuntimeError):
    """A stream setting that cannot be changed in place."""


@dataclass(frozen=True, slots=True)
class TopologySettings:
    replicas: int = 1
    duplicate_window_s: float = 120.0
    quotes_max_age_s: float = 7 * 24 * 3600.0
    dlq_max_age_s: float = 30 * 24 * 3600.0


def topology_from(settings: NatsSettings) -> TopologySettings:
    """The topology every service ensures at start, from the shared NATS settings."""
    return TopologySettings(
        replicas=settings.stream_replicas,
        duplicate_window_s=settings.stream_duplicate_window_s,
        quotes_max_age_s=settings.quotes_max_age_s,
        dlq_max_age_s=settings.dlq_max_age_s,
    )


def stream_config(spec: StreamSpec, settings: TopologySettings) -> StreamConfig:
    max_age = 0.0
    if spec.name == STREAM_QUOTES.name:
        max_age = settings.quotes_max_age_s
    elif spec.name == STREAM_DLQ.name:
        max_age = settings.dlq_max_age_s
    return StreamConfig(
        name=spec.name,
        subjects=list(spec.subjects),
        retention=RetentionPolicy.WORK_QUEUE if spec.work_queue else RetentionPolicy.LIMITS,
        storage=StorageType.FILE,
        num_replicas=settings.replicas,
        duplicate_window=max(settings.duplicate_window_s, 120.0),
        max_age=max_age,
        allow_direct=True,
    )


def _differences(have: StreamConfig, want: StreamConfig) -> list[str]:
    diffs = []
    for field in ("subjects", "num_replicas", "duplicate_window", "max_age", "allow_direct"):
        a, b = getattr(have, field), getattr(want, field)
        if field == "subjects":
            a, b = sorted(a or []), sorted(b or [])
        elif isinstance(b, float):
            a = round(float(a or 0.0), 3)
            b = round(b, 3)
        if a != b:
            diffs.append(field)
    return diffs


async def ensure_stream(js: JetStreamContext, config: StreamConfig) -> StreamInfo:
    """Create the stream, or update it when a changeable setting differs."""
    assert config.name is not None
    try:
        info = await js.stream_info(config.name)
    except NotFoundError:
        return await js.add_stream(config)
    have = info.config
    for fixed in ("retention", "storage"):
        if getattr(have, fixed) != getattr(config, fixed):
            raise TopologyError(
                f"stream {config.name}: {fixed} is {getattr(have, fixed)}, wanted "
                f"{getattr(config, fixed)}; it cannot change in place (recreate the stream)"
            )
    if _differences(have, config):
        return await js.update_stream(config)
    return info


async def ensure_topology(
    js: JetStreamContext,
    settings: TopologySettings | None = None,
    specs: tuple[StreamSpec, ...] = ALL_STREAMS,
) -> list[StreamInfo]:
    """Ensure every stream of the contract (pq_domain.subjects.ALL_STREAMS)."""
    s = settings or TopologySettings()
    return [await ensure_stream(js, stream_config(spec, s)) for spec in specs]
