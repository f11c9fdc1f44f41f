"""Stores behind ports: unit of work (state + outbox + inbox), SQLite and MongoDB adapters."""

from .no_transaction import NoStore, NoTransaction
from .outbox_buffer import OutboxBuffer
from .ports import UnitOfWork, UnitOfWorkFactory
from .records import OutboxRow, OutboxStats, PendingEvent, SentMark
from .signal import CommitSignal

__all__ = [
    "CommitSignal",
    "NoStore",
    "NoTransaction",
    "OutboxBuffer",
    "OutboxRow",
    "OutboxStats",
    "PendingEvent",
    "SentMark",
    "UnitOfWork",
    "UnitOfWorkFactory",
]
