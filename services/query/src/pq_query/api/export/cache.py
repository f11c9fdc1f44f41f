"""Hot exports in the page cache: an export's encoded chunks, one hash field each.

The same versioned entry as the JSON pages of that (symbol, interval) (see
adapters/redis/page_cache.py), so a projection's write retires them alike. The chunks
are stored as they are sent (never gathered), and a last field `<request>|n` saying
how many there are is written only when the whole export was stored: a reader sees a
complete export or none. Exports over `max_bytes` are not kept.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

from ...adapters.redis.page_cache import BarPageCache, CachedPage


class ChunkMissing(Exception):
    """A chunk of a cached export expired while it was being sent."""


class ExportCache:
    def __init__(self, cache: BarPageCache, entry: CachedPage, field: str, max_bytes: int):
        self._cache, self._entry, self._field, self._max_bytes = cache, entry, field, max_bytes

    @classmethod
    async def lookup(
        cls, cache: BarPageCache, generation: int, symbol: str, interval: str, field: str,
        max_bytes: int,
    ) -> tuple[ExportCache, int | None]:  # fmt: skip
        """The entry, and how many chunks it holds (None: not cached)."""
        entry = await cache.get(generation, symbol, interval, f"{field}|n")
        count = None if entry.body is None else int(entry.body)
        return cls(cache, entry, field, max_bytes), count

    async def replay(self, count: int) -> AsyncIterator[bytes]:
        for i in range(count):
            chunk = await self._cache.part(self._entry, f"{self._field}|{i}")
            if chunk is None:
                raise ChunkMissing(f"chunk {i} of {count} expired")
            yield chunk

    async def record(self, chunks: AsyncIterator[bytes]) -> AsyncIterator[bytes]:
        """`chunks`, passed on, each stored as it goes by while the total fits."""
        count, size = 0, 0
        async for chunk in chunks:
            yield chunk
            size += len(chunk)
            if size <= self._max_bytes:
                await self._cache.put(self._entry, f"{self._field}|{count}", chunk)
            count += 1
        if size <= self._max_bytes:
            await self._cache.put(self._entry, f"{self._field}|n", str(count).encode())
