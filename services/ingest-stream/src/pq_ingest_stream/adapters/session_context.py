"""Correlation id and traceparent of the current quote-session connection.

Quotes carry no request that caused them, and a span per quote would cost more than the
quote; every quote of one connection shares one correlation id (`<shard>:<connection>`)
and one W3C traceparent, so a consumer can still group quotes by the connection that
delivered them. Renewed by SessionWatch on every reconnect.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field


def _new_traceparent() -> str:
    return f"00-{secrets.token_hex(16)}-{secrets.token_hex(8)}-00"  # not sampled


@dataclass(slots=True)
class SessionContext:
    shard: str
    connection: int = 0
    traceparent: str = field(default_factory=_new_traceparent)

    @property
    def correlation_id(self) -> str:
        return f"{self.shard}:{self.connection}"

    def renew(self, connection: int) -> None:
        self.connection = connection
        self.traceparent = _new_traceparent()
