"""Event schemas of the public contract (ARCHITECTURE.md), versioned.

Events are facts in the past tense (SyncRequested is the contract's accepted
exception). Each maps to and from a JSON-ready dict with snake_case fields and
times as epoch ms UTC; the runtime's codec turns that into bytes. `event_id`
is deterministic where the fact has a natural key, so a re-emitted event is
dropped by the stream's duplicate window.
"""

from .bars import BarCompleted, BarSynced, BarUpdated
from .commands import SyncRequested
from .common import InvalidEvent, bar_from_payload, bar_to_payload
from .jobs import (
    JOB_LIFECYCLE_EVENTS,
    SyncJobAccepted,
    SyncJobCompleted,
    SyncJobFailed,
    SyncJobProgressed,
    SyncJobStarted,
)
from .quotes import QuoteReceived
from .schemas import CONTRACT_EVENTS, SCHEMA_VERSIONS
from .symbols import SymbolResolved

__all__ = [
    "CONTRACT_EVENTS",
    "JOB_LIFECYCLE_EVENTS",
    "SCHEMA_VERSIONS",
    "BarCompleted",
    "BarSynced",
    "BarUpdated",
    "InvalidEvent",
    "QuoteReceived",
    "SymbolResolved",
    "SyncJobAccepted",
    "SyncJobCompleted",
    "SyncJobFailed",
    "SyncJobProgressed",
    "SyncJobStarted",
    "SyncRequested",
    "bar_from_payload",
    "bar_to_payload",
]
