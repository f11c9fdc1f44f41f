"""The media types GET /v1/bars answers in, and how an Accept header chooses one.

Defined once: the gateway refuses what no type matches (406) and forwards the rest;
the query service encodes the chosen type. JSON (paged) is the default; the others are
the bulk export of a whole range.
"""

from __future__ import annotations

from enum import StrEnum
from functools import lru_cache


class BarsMediaType(StrEnum):
    JSON = "application/json"
    CSV = "text/csv"
    PARQUET = "application/vnd.apache.parquet"
    ARROW = "application/vnd.apache.arrow.stream"

    @property
    def is_export(self) -> bool:
        return self is not BarsMediaType.JSON


# Preferred first when an Accept range matches several (`*/*`, `application/*`).
_ORDER = (BarsMediaType.JSON, BarsMediaType.CSV, BarsMediaType.PARQUET, BarsMediaType.ARROW)
ACCEPTED = ", ".join(t.value for t in _ORDER)


def _ranges(accept: str) -> list[tuple[str, float]]:
    out: list[tuple[str, float]] = []
    for part in accept.split(","):
        media, *params = (p.strip() for p in part.split(";"))
        if not media:
            continue
        q = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        out.append((media.lower(), q))
    return out


def _matches(media_range: str, media_type: str) -> bool:
    if media_range in ("*/*", media_type):
        return True
    major, _, minor = media_range.partition("/")
    return minor == "*" and media_type.startswith(major + "/")


# Asked on every read (the gateway and query), with the few Accept values clients send.
@lru_cache(maxsize=128)
def negotiate_bars(accept: str | None) -> BarsMediaType | None:
    """The type to answer in; JSON without an Accept header; None when none is acceptable.

    The highest q wins; of equal q, the more specific range, then the order above."""
    if accept is None or not accept.strip():
        return BarsMediaType.JSON
    best: tuple[float, int, int] | None = None
    chosen: BarsMediaType | None = None
    for rank, media_type in enumerate(_ORDER):
        for media_range, q in _ranges(accept):
            if q <= 0 or not _matches(media_range, media_type.value):
                continue
            specific = 2 if media_range == media_type.value else (0 if media_range == "*/*" else 1)
            key = (q, specific, -rank)
            if best is None or key > best:
                best, chosen = key, media_type
    return chosen
