"""The contract's event schemas: each event type and the payload version its class reads.

One table beside the event classes (like subjects.py for subjects). The runtime's
consumers dead-letter a contract event whose `Pq-Schema-Version` is not the one here:
a payload of another version must never be read as if it were this one.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from .bars import BarCompleted, BarSynced, BarUpdated
from .commands import SyncRequested
from .jobs import JOB_LIFECYCLE_EVENTS
from .quotes import QuoteReceived
from .symbols import SymbolResolved

CONTRACT_EVENTS: tuple[type, ...] = (
    QuoteReceived,
    BarSynced,
    BarCompleted,
    BarUpdated,
    SymbolResolved,
    SyncRequested,
    *JOB_LIFECYCLE_EVENTS,
)

SCHEMA_VERSIONS: Mapping[str, int] = MappingProxyType(
    {cls.EVENT_TYPE: cls.SCHEMA_VERSION for cls in CONTRACT_EVENTS}  # type: ignore[attr-defined]
)
