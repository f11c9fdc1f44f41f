"""MongoDB adapter (PyMongo async API; transactions need a replica set)."""

from .outbox import MongoOutbox
from .store import MongoStore
from .uow import MongoUnitOfWork

__all__ = ["MongoOutbox", "MongoStore", "MongoUnitOfWork"]
