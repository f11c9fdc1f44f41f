"""Conditional GETs (RFC 9110 §13.1.2): entity tags and `If-None-Match`.

Defined once: the query service answers 304 when a client's copy of a bars page is
current, and the gateway revalidates the pages it keeps with the same comparison.
"""

from __future__ import annotations

ETAG = "etag"
IF_NONE_MATCH = "if-none-match"
CACHE_CONTROL = "cache-control"
# Any cache may keep the page, but must ask (If-None-Match) before each reuse: bars can
# change at any moment (a sync, a completed bar), and the answer to "did they" is cheap.
REVALIDATE_EACH_TIME = "no-cache"


def _opaque(tag: str) -> str | None:
    """The opaque-tag of one entity tag, weak prefix dropped (a GET compares weakly);
    None when it is malformed."""
    tag = tag.strip()
    if tag.startswith("W/"):
        tag = tag[2:]
    if len(tag) >= 2 and tag[0] == '"' and tag[-1] == '"' and '"' not in tag[1:-1]:
        return tag[1:-1]
    return None


def opaque_tags(if_none_match: str) -> list[str]:
    """The opaque-tags an If-None-Match value lists; ["*"] for `*`. Malformed members
    are skipped, never matched."""
    tags: list[str] = []
    for member in if_none_match.split(","):
        opaque = "*" if member.strip() == "*" else _opaque(member)
        if opaque is not None:
            tags.append(opaque)
    return tags


def none_match(if_none_match: str | None, etag: str) -> bool:
    """True when the request's If-None-Match does not list `etag`: the full answer is
    due. False means the client's copy is current (answer 304)."""
    if not if_none_match:
        return True
    current = _opaque(etag)
    return not any(tag == "*" or tag == current for tag in opaque_tags(if_none_match))


def weak_etag(opaque: str) -> str:
    """A weak tag: the same tag means the same bars, not the same bytes."""
    return f'W/"{opaque}"'
