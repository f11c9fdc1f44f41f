"""Refuse webhook URLs that reach inside: private, loopback, link-local and other
non-public addresses (SSRF). Checked at registration and again before every delivery,
since DNS can change in between. PQ_WEBHOOKS_ALLOW_PRIVATE (development) lifts the
address rule and also allows plain http; otherwise only https.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from urllib.parse import urlsplit

_RESOLVE_TIMEOUT_S = 3.0


class UnsafeUrl(ValueError):
    """A URL webhooks must not call; the message says why."""


def _is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


async def resolve(host: str, port: int) -> list[str]:
    loop = asyncio.get_running_loop()
    try:
        async with asyncio.timeout(_RESOLVE_TIMEOUT_S):
            infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError, TimeoutError) as exc:
        raise UnsafeUrl(f"host {host!r} does not resolve") from exc
    return sorted({str(info[4][0]) for info in infos})


async def check_url(url: str, *, allow_private: bool) -> None:
    """Raise UnsafeUrl unless `url` may receive webhooks."""
    try:
        parts = urlsplit(url)
        port = parts.port  # raises on a port out of 0..65535 or an unclosed `[`
    except ValueError as exc:
        raise UnsafeUrl(f"not a usable URL: {exc}") from None
    allowed_schemes = ("https", "http") if allow_private else ("https",)
    if parts.scheme not in allowed_schemes:
        raise UnsafeUrl(f"the URL must use {' or '.join(allowed_schemes)}")
    if not parts.hostname:
        raise UnsafeUrl("the URL has no host")
    if parts.username or parts.password:
        raise UnsafeUrl("the URL must not carry credentials")
    if allow_private:
        return
    port = port or (443 if parts.scheme == "https" else 80)
    addresses = await resolve(parts.hostname, port)
    blocked = [a for a in addresses if not _is_public(a)]
    if blocked:
        raise UnsafeUrl(f"{parts.hostname} resolves to a non-public address ({blocked[0]})")
