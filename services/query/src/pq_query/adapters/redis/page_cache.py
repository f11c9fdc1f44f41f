"""Hot bars pages in Redis, keyed by (generation, symbol, interval, version, request).

The projection bumps the version of each (symbol, interval) it wrote, after its commit;
readers look the version up and the page under it in one round trip (a Lua script), so
a page computed from data older than a bump is stored under a version nobody asks for
again. A failed bump is remembered and retried before the cache is trusted again.
Redis down: every lookup is a miss for `cooldown_s`, and reads go to the store.

The version is also what a page's ETag says (api/page_validators.py), and clients keep
ETags longer than Redis keeps keys: a version that is missing (new, or lost with Redis's
data) starts at Redis's clock in microseconds, never at a number an older tag can hold.
"""

from __future__ import annotations

import time

import structlog
from redis.asyncio import Redis
from redis.exceptions import RedisError

from ...metrics import QueryMetrics

log = structlog.get_logger(__name__)
Key = tuple[str, str]

# A version that starts where no earlier one can have been (see above).
_START_VERSION = """
local function start_version(key)
  local now = redis.call('TIME')
  local v = now[1] .. string.format('%06d', tonumber(now[2]))
  redis.call('SET', key, v)
  return v
end
"""
# ARGV[3]: the version the client's copy has ('' for none); when it is still current, the
# page itself is not read (the answer is 304).
_LOOKUP = (
    _START_VERSION
    + """
local v = redis.call('GET', KEYS[1]) or start_version(KEYS[1])
if v == ARGV[3] then return {v} end
local page = redis.call('HGET', ARGV[1] .. v, ARGV[2])
if page then return {v, page} end
return {v}
"""
)
_BUMP = (
    _START_VERSION
    + """
for _, key in ipairs(KEYS) do
  if redis.call('EXISTS', key) == 0 then start_version(key) end
  redis.call('INCR', key)
end
return #KEYS
"""
)


class CachedPage:
    __slots__ = ("body", "pages_key", "version")

    def __init__(
        self, body: bytes | None, pages_key: str | None, version: str | None = None
    ) -> None:
        self.body = body
        self.pages_key = pages_key  # where to store the page on a miss (None: don't)
        self.version = version  # of the (symbol, interval) now; None when Redis is off


class BarPageCache:
    def __init__(
        self,
        redis: Redis,
        *,
        ttl_s: int = 300,
        cooldown_s: float = 2.0,
        metrics: QueryMetrics | None = None,
    ) -> None:
        self._redis = redis
        self._ttl_s = ttl_s
        self._cooldown_s = cooldown_s
        self._lookup = redis.register_script(_LOOKUP)
        self._bump_script = redis.register_script(_BUMP)
        self._down_until = 0.0
        self._unbumped: set[Key] = set()
        # The counter's children, looked up once: `labels()` takes a lock per call.
        self._counted = (
            {r: metrics.cache.labels(r) for r in ("hit", "miss", "bypass")} if metrics else {}
        )

    @staticmethod
    def _version_key(symbol: str, interval: str) -> str:
        return f"pq:query:pagever:{symbol}:{interval}"

    async def get(
        self,
        generation: int,
        symbol: str,
        interval: str,
        field: str,
        known_version: str | None = None,
    ) -> CachedPage:
        """The page, or only the version when `known_version` is still current (the
        page is then not read: `version == known_version` and `body` is None)."""
        if not await self._usable():
            return self._count(CachedPage(None, None), "bypass")
        prefix = f"pq:query:pages:{generation}:{symbol}:{interval}:"
        try:
            found = await self._lookup(
                keys=[self._version_key(symbol, interval)],
                args=[prefix, field, known_version or ""],
            )
        except RedisError as exc:
            self._trip(exc)
            return self._count(CachedPage(None, None), "bypass")
        version = found[0].decode()
        pages_key = prefix + version
        if len(found) > 1:
            return self._count(CachedPage(bytes(found[1]), pages_key, version), "hit")
        if version == known_version:
            return self._count(CachedPage(None, pages_key, version), "hit")
        return self._count(CachedPage(None, pages_key, version), "miss")

    async def put(self, page: CachedPage, field: str, body: bytes) -> None:
        if page.pages_key is None or time.monotonic() < self._down_until:
            return
        try:
            async with self._redis.pipeline(transaction=False) as pipe:
                pipe.hset(page.pages_key, field, body)
                pipe.expire(page.pages_key, self._ttl_s)
                await pipe.execute()
        except RedisError as exc:
            self._trip(exc)

    async def part(self, page: CachedPage, field: str) -> bytes | None:
        """Another field of a cached entry (an export's chunks), under the version `get`
        found; None when it is gone (expired) or Redis fails."""
        if page.pages_key is None:
            return None
        try:
            found = await self._redis.hget(page.pages_key, field)
        except RedisError as exc:
            self._trip(exc)
            return None
        return found if isinstance(found, bytes) else None

    async def invalidate(self, keys: set[Key]) -> None:
        """After a committed batch: new versions for the touched keys."""
        self._unbumped |= keys
        await self._bump()

    async def _usable(self) -> bool:
        if time.monotonic() < self._down_until:
            return False
        return await self._bump() if self._unbumped else True

    async def _bump(self) -> bool:
        keys = sorted(self._unbumped)
        try:
            await self._bump_script(keys=[self._version_key(s, i) for s, i in keys])
        except RedisError as exc:
            self._trip(exc)
            return False
        self._unbumped.difference_update(keys)
        return True

    def _trip(self, exc: Exception) -> None:
        self._down_until = time.monotonic() + self._cooldown_s
        log.warning("cache.redis_unavailable", error=repr(exc))

    def _count(self, page: CachedPage, result: str) -> CachedPage:
        if self._counted:
            self._counted[result].inc()
        return page
