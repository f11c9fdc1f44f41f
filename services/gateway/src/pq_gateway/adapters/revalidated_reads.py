"""The reads the gateway last forwarded, kept to be revalidated instead of sent again.

A shared HTTP cache (RFC 9111) in the one way the query service's answers allow: an answer
with an ETag that does not forbid storing is kept, bounded in bytes (least recently used
out first). The next request for the same URL goes to the query service with
`If-None-Match: <its tag>`, and a 304 (the page neither read nor sent) is answered from
the kept copy. Nothing is ever served without asking, so a read through the gateway never
shows older bars than the query service holds. Copies are shared by every API key: a
read does not depend on who asks, and auth and rate limits have run before.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

from pq_runtime.http.conditional import CACHE_CONTROL, ETAG


@dataclass(frozen=True, slots=True)
class KeptRead:
    headers: dict[str, str]  # what the 200 passed on (content type, ETag, coverage...)
    body: bytes

    @property
    def etag(self) -> str:
        return self.headers[ETAG]


class RevalidatedReads:
    def __init__(self, max_bytes: int) -> None:
        self._max_bytes = max_bytes
        self._bytes = 0
        self._kept: OrderedDict[str, KeptRead] = OrderedDict()

    def get(self, url: str) -> KeptRead | None:
        kept = self._kept.get(url)
        if kept is not None:
            self._kept.move_to_end(url)
        return kept

    def keep(self, url: str, read: KeptRead) -> None:
        self.drop(url)
        if len(read.body) > self._max_bytes:
            return
        self._kept[url] = read
        self._bytes += len(read.body)
        while self._bytes > self._max_bytes:
            _, oldest = self._kept.popitem(last=False)
            self._bytes -= len(oldest.body)

    def drop(self, url: str) -> None:
        gone = self._kept.pop(url, None)
        if gone is not None:
            self._bytes -= len(gone.body)

    @property
    def size_bytes(self) -> int:
        return self._bytes


def storable(headers: dict[str, str]) -> bool:
    """Whether a shared cache may keep an answer (and must revalidate it): it has an
    ETag, and its Cache-Control forbids neither."""
    if ETAG not in headers:
        return False
    directives = {d.strip().lower() for d in headers.get(CACHE_CONTROL, "").split(",")}
    return not directives & {"no-store", "private"}
