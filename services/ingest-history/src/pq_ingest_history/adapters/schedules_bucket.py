"""The PQ_SCHEDULES KV bucket: the value is pq_domain.schedule, the config pq_runtime's."""

from __future__ import annotations

import structlog
from nats.js import JetStreamContext
from nats.js.errors import KeyWrongLastSequenceError
from nats.js.kv import KeyValue

from pq_domain.schedule import InvalidSchedule, Schedule
from pq_runtime.codec import CodecError, decode, encode
from pq_runtime.messaging.kv import live_entries, open_or_create, schedules_config

from ..handlers.scheduler import StoredSchedule
from .clock import now_ms

log = structlog.get_logger(__name__)


class KvScheduleBucket:
    def __init__(self, kv: KeyValue, *, read_timeout_s: float = 5.0) -> None:
        self._kv = kv
        self._read_timeout_s = read_timeout_s

    @classmethod
    async def open(cls, js: JetStreamContext, *, replicas: int = 1) -> KvScheduleBucket:
        return cls(await open_or_create(js, schedules_config(replicas)))

    async def put(self, schedule: Schedule) -> int:
        """Create or replace a schedule (the gateway's PUT); its revision."""
        # `~` and `!` are valid in subjects but outside nats-py's key pattern.
        return await self._kv.put(schedule.key, encode(schedule.to_payload()), validate_keys=False)

    async def entries(self) -> list[StoredSchedule]:
        entries = await live_entries(self._kv, self._read_timeout_s)  # deletes its consumer
        return [s for s in map(_stored, entries) if s is not None]

    async def advance(self, stored: StoredSchedule, updated: Schedule) -> bool:
        try:
            await self._kv.update(
                updated.key,
                encode(updated.to_payload()),
                last=stored.revision,
                validate_keys=False,
            )
        except KeyWrongLastSequenceError:
            return False  # another replica fired it, or the schedule was edited meanwhile
        return True


def _stored(entry: KeyValue.Entry) -> StoredSchedule | None:
    try:
        schedule = Schedule.from_payload(decode(entry.value or b""), now_ms=now_ms())
    except (CodecError, InvalidSchedule) as exc:
        log.warning("schedules.malformed_entry", key=entry.key, error=str(exc))
        return None
    if schedule.key != entry.key:
        log.warning("schedules.key_mismatch", key=entry.key, expected=schedule.key)
        return None
    assert entry.revision is not None
    return StoredSchedule(schedule, entry.revision)
