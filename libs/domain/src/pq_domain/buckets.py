"""The JetStream KV buckets: names and key encoding, one table for every service.

| bucket | written by | read by | key | value |
|---|---|---|---|---|
| PQ_API_KEYS | gateway (`pq keys`) | gateway | key id | hashed key, scopes |
| PQ_WEBHOOKS | gateway | gateway | webhook id | registration |
| PQ_WATCHLIST | gateway | ingest-stream | symbol key | `{"symbol","added_at","owner"}` |
| PQ_SCHEDULES | gateway, ingest-history | both | `<symbol key>.<interval>` | pq_domain.schedule |
| PQ_STREAM_STATUS | ingest-stream | gateway | shard id | pq_domain.shard_status |
| PQ_STREAM_CURSORS | ingest-stream | ingest-stream | symbol key | cursor |
| PQ_BAR_BUILDER_LEASES | bar-builder | bar-builder | partition | lease |

A symbol key is the symbol's escaped subject tokens, `NYSE.BRK~2EB`: they may hold `~` and
`!`, valid subject characters outside nats-py's key pattern (hence `validate_keys=False`).
"""

from __future__ import annotations

from .subject_tokens import symbol_from_tokens, symbol_tokens
from .symbol import Symbol

API_KEYS = "PQ_API_KEYS"
WEBHOOKS = "PQ_WEBHOOKS"
WATCHLIST = "PQ_WATCHLIST"
SCHEDULES = "PQ_SCHEDULES"
STREAM_STATUS = "PQ_STREAM_STATUS"
STREAM_CURSORS = "PQ_STREAM_CURSORS"
BAR_BUILDER_LEASES = "PQ_BAR_BUILDER_LEASES"
ALL_BUCKETS = (
    API_KEYS, WEBHOOKS, WATCHLIST, SCHEDULES, STREAM_STATUS, STREAM_CURSORS, BAR_BUILDER_LEASES
)  # fmt: skip


def symbol_key(symbol: Symbol) -> str:
    return symbol_tokens(symbol)


def symbol_of_key(key: str) -> Symbol:
    exchange, code = key.split(".", 1)  # escaped tokens never hold a dot
    return symbol_from_tokens(exchange, code)
