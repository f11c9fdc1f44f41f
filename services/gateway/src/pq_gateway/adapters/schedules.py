"""Scheduled re-syncs in the PQ_SCHEDULES KV bucket (ingest-history fires them).

Schema: services/ingest-history/README.md, "Schedules". Key: the symbol's escaped
subject tokens and the interval (`NYSE:BRK.B`, 1h -> `NYSE.BRK~2EB.1h`). Value: JSON
`{"symbol", "interval", "every_s", "bars", "next_due_ms", "owner"}` (`owner`: the key id
that made it, carried through firings by ingest-history): pq_domain.schedule, the one
codec both services use. `~` and `!` are outside nats-py's key pattern:
`validate_keys=False`.
"""

from __future__ import annotations

import nats.errors
import structlog
from nats.js.errors import KeyNotFoundError, KeyWrongLastSequenceError
from nats.js.kv import KeyValue

from pq_domain import Interval, Symbol
from pq_domain.schedule import InvalidSchedule, Schedule, schedule_key
from pq_domain.subject_tokens import symbol_tokens
from pq_runtime.codec import CodecError, decode, encode
from pq_runtime.messaging.kv import live_entries, open_or_create, schedules_config

from ..api.problems import dependency_unavailable
from .nats_link import NatsLink

log = structlog.get_logger("pq_gateway.schedules")


class KvSchedules:
    def __init__(self, link: NatsLink, *, replicas: int, timeout_s: float) -> None:
        self._link = link
        self._replicas = replicas
        self._timeout_s = timeout_s
        self._kv: KeyValue | None = None

    async def put(self, entry: Schedule) -> bool:
        """Create or replace; True when this call created it."""
        kv = await self._bucket()
        value = encode(entry.to_payload())
        try:
            try:
                # create() also succeeds over a delete marker (a removed schedule).
                await kv.create(entry.key, value, validate_keys=False)
                return True
            except KeyWrongLastSequenceError:
                await kv.put(entry.key, value, validate_keys=False)
                return False
        except nats.errors.Error as exc:
            raise _unavailable(exc) from exc

    async def for_symbol(self, symbol: Symbol, now_ms: int) -> list[Schedule]:
        return await self._read(f"{symbol_tokens(symbol)}.*", now_ms)

    async def all(self, now_ms: int) -> list[Schedule]:
        return await self._read(">", now_ms)

    async def get(self, symbol: Symbol, interval: Interval, now_ms: int) -> Schedule | None:
        kv = await self._bucket()
        try:
            stored = await kv.get(schedule_key(symbol, interval), validate_keys=False)
        except KeyNotFoundError:  # also raised for a delete marker
            return None
        except nats.errors.Error as exc:
            raise _unavailable(exc) from exc
        return _decode(stored, now_ms)

    async def owned_by(self, owner: str, now_ms: int) -> int:
        return sum(1 for e in await self.all(now_ms) if e.owner == owner)

    async def remove(self, symbol: Symbol, interval: Interval) -> bool:
        """True when the schedule existed (history 1: a delete marker is all that remains)."""
        kv = await self._bucket()
        key = schedule_key(symbol, interval)
        try:
            try:
                await kv.get(key, validate_keys=False)
            except KeyNotFoundError:  # also raised for a delete marker
                return False
            await kv.delete(key, validate_keys=False)
        except nats.errors.Error as exc:
            raise _unavailable(exc) from exc
        return True

    async def _read(self, keys: str, now_ms: int) -> list[Schedule]:
        kv = await self._bucket()
        try:
            stored = await live_entries(kv, self._timeout_s, keys)
        except (nats.errors.Error, TimeoutError) as exc:
            raise _unavailable(exc) from exc
        entries = [e for e in (_decode(s, now_ms) for s in stored) if e is not None]
        return sorted(entries, key=lambda e: (str(e.symbol), e.interval.value))

    async def _bucket(self) -> KeyValue:
        if self._kv is None:
            js = self._link.jetstream()
            try:
                self._kv = await open_or_create(js, schedules_config(self._replicas))
            except (nats.errors.Error, TimeoutError) as exc:
                raise _unavailable(exc) from exc
        return self._kv


def _decode(stored: KeyValue.Entry, now_ms: int) -> Schedule | None:
    """Entries that do not parse, or whose key disagrees with the value, are skipped."""
    try:
        entry = Schedule.from_payload(decode(stored.value or b""), now_ms=now_ms)
    except (CodecError, InvalidSchedule):
        log.warning("skipping a malformed schedule entry", key=stored.key)
        return None
    if entry.key != stored.key:
        log.warning("skipping a schedule whose key disagrees", key=stored.key, expected=entry.key)
        return None
    return entry


def _unavailable(exc: BaseException) -> Exception:
    log.warning("schedules bucket unavailable", error=repr(exc))
    return dependency_unavailable("NATS", "the schedules store is unreachable; retry shortly")
