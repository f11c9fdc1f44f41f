"""SQLite adapter (stdlib sqlite3, WAL, one writer thread per database)."""

from .database import SqliteDatabase
from .outbox import SqliteOutbox
from .store import SqliteStore
from .uow import SqliteUnitOfWork

__all__ = ["SqliteDatabase", "SqliteOutbox", "SqliteStore", "SqliteUnitOfWork"]
