"""The bar-builder's MongoDB collections, created with their indexes at start (idempotent).

Both collections exist before the first transaction: creating a collection implicitly
inside concurrent transactions can fail them with a catalog write conflict.
"""

from __future__ import annotations

from typing import Any

from pymongo import ASCENDING
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import CollectionInvalid, OperationFailure

PARTITIONS = "bar_builder_partitions"  # _id: partition; last_seq, fence, updated_at
SYMBOL_STATES = "bar_builder_symbol_states"  # _id: {p, s}; partition, symbol, state
_NAMESPACE_EXISTS = 48


def symbol_id(partition: int, symbol: str) -> dict[str, Any]:
    """The state document's _id (field order fixed: _id equality compares documents)."""
    return {"p": partition, "s": symbol}


async def ensure_collections(db: AsyncDatabase[dict[str, Any]]) -> None:
    for name in (PARTITIONS, SYMBOL_STATES):
        await _create_collection(db, name)
    await db[SYMBOL_STATES].create_index([("partition", ASCENDING)])


async def _create_collection(db: AsyncDatabase[dict[str, Any]], name: str) -> None:
    try:
        await db.create_collection(name)
    except CollectionInvalid:  # it exists
        pass
    except OperationFailure as exc:  # another instance created it just now
        if exc.code != _NAMESPACE_EXISTS:
            raise
