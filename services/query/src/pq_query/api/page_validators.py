"""ETags of bars pages, and which version a client's If-None-Match holds.

A tag is `W/"<generation>.<request digest>.<version>"`: the live generation of the model,
a digest of the page's request (two requests never share a tag) and the version of its
(symbol, interval), which the projection bumps after each committed write
(adapters/redis/page_cache.py). The same tag therefore means the same bars, and a client
(or the gateway) holding it is answered 304 without the page being read.
"""

from __future__ import annotations

import zlib

from pq_runtime.http.conditional import opaque_tags, weak_etag


class PageValidator:
    __slots__ = ("_prefix",)

    def __init__(self, generation: int, cache_field: str) -> None:
        self._prefix = f"{generation}.{zlib.crc32(cache_field.encode()):08x}."

    def etag(self, version: str) -> str:
        return weak_etag(self._prefix + version)

    def version_in(self, if_none_match: str | None) -> str | None:
        """The version of this page a client's copy was made at, if it sent one."""
        if not if_none_match:
            return None
        for tag in opaque_tags(if_none_match):
            if tag.startswith(self._prefix):
                version = tag[len(self._prefix) :]
                if version.isdigit():
                    return version
        return None
