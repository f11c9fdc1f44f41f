"""A webhook registration and the event types it can subscribe to."""

from __future__ import annotations

import base64
import secrets
from dataclasses import dataclass, replace
from typing import Any, Literal

from pq_domain.events import SyncJobCompleted, SyncJobFailed, SyncJobProgressed
from pq_domain.subjects import BARS_COMPLETED_ALL, BARS_SYNCED_ALL, SYNC_JOB_EVENTS

EventType = Literal["bar.completed", "bar.synced", "sync.job", "job.progress", "job.done"]
EVENT_TYPES: tuple[EventType, ...] = (
    "bar.completed", "bar.synced", "sync.job", "job.progress", "job.done",
)  # fmt: skip
# Job events by what they say: `sync.job` is the lifecycle (accepted, started, completed,
# failed, as before progress existed); `job.progress` each fetch round; `job.done` the end.
_JOB_TYPES: dict[str, tuple[EventType, ...]] = {
    SyncJobProgressed.EVENT_TYPE: ("job.progress",),
    SyncJobCompleted.EVENT_TYPE: ("sync.job", "job.done"),
    SyncJobFailed.EVENT_TYPE: ("sync.job", "job.done"),
}


def event_types_of(subject: str, event_type: str) -> tuple[EventType, ...]:
    """The webhook event types an event on `subject` is offered as (none: not offered)."""
    if subject.startswith(BARS_COMPLETED_ALL[:-1]):
        return ("bar.completed",)
    if subject.startswith(BARS_SYNCED_ALL[:-1]):
        return ("bar.synced",)
    if subject == SYNC_JOB_EVENTS:
        return _JOB_TYPES.get(event_type, ("sync.job",))
    return ()


def new_secret() -> str:
    """A Standard Webhooks secret: `whsec_` + base64 of 32 random bytes."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


@dataclass(frozen=True, slots=True)
class Webhook:
    webhook_id: str
    url: str
    event_types: tuple[EventType, ...]
    symbols: tuple[str, ...]  # empty: every symbol
    secret: str  # symmetric: the signer needs it, so it is stored as is (bucket-private)
    created_at: int  # epoch ms
    enabled: bool = True
    consecutive_failures: int = 0
    disabled_reason: str | None = None

    def wants(self, event_type: EventType, symbol: str | None) -> bool:
        """Symbol filters apply to events about a symbol (bars); job events always pass."""
        if not self.enabled or event_type not in self.event_types:
            return False
        return not self.symbols or symbol is None or symbol in self.symbols

    def failed(self, disable_after: int, reason: str) -> Webhook:
        failures = self.consecutive_failures + 1
        if failures < disable_after:
            return replace(self, consecutive_failures=failures)
        why = f"disabled after {failures} consecutive failed deliveries (last: {reason})"
        return replace(self, consecutive_failures=failures, enabled=False, disabled_reason=why)

    def succeeded(self) -> Webhook:
        return replace(self, consecutive_failures=0)

    def to_payload(self) -> dict[str, Any]:
        return {
            "webhook_id": self.webhook_id,
            "url": self.url,
            "event_types": list(self.event_types),
            "symbols": list(self.symbols),
            "secret": self.secret,
            "created_at": self.created_at,
            "enabled": self.enabled,
            "consecutive_failures": self.consecutive_failures,
            "disabled_reason": self.disabled_reason,
        }

    @classmethod
    def from_payload(cls, p: dict[str, Any]) -> Webhook:
        return cls(
            webhook_id=str(p["webhook_id"]),
            url=str(p["url"]),
            event_types=tuple(t for t in EVENT_TYPES if t in p["event_types"]),
            symbols=tuple(str(s) for s in p.get("symbols", ())),
            secret=str(p["secret"]),
            created_at=int(p["created_at"]),
            enabled=bool(p.get("enabled", True)),
            consecutive_failures=int(p.get("consecutive_failures", 0)),
            disabled_reason=p.get("disabled_reason"),
        )
