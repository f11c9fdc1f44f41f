"""Refuse webhook URLs that reach inside (SSRF), and pin the address that was checked.

A URL may receive webhooks when it is https, names an allowed port
(`PQ_WEBHOOKS_ALLOWED_PORTS`, 443 by default), carries no credentials and its host
resolves only to public addresses. IPv6 forms that embed an IPv4 address (IPv4-mapped
`::ffff:a.b.c.d`, IPv4-compatible `::a.b.c.d`, NAT64 `64:ff9b::/96`, 6to4 `2002::/16`,
Teredo `2001::/32`) are judged by the address inside as well. It is checked at
registration and again before every delivery, and the delivery connects to the address
checked then (`Target.address`), never resolving the name again: a DNS answer that
changes between the check and the connection (DNS rebinding) cannot lead inside.
PQ_WEBHOOKS_ALLOW_PRIVATE (development only; production refuses it) lifts the address
and port rules and also allows plain http.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

_RESOLVE_TIMEOUT_S = 3.0
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_NAT64_LOCAL = ipaddress.ip_network("64:ff9b:1::/48")
_IPV4_COMPATIBLE = ipaddress.ip_network("::/96")

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class UnsafeUrl(ValueError):
    """A URL webhooks must not call; the message says why."""


@dataclass(frozen=True, slots=True)
class Target:
    """A checked URL and the address to connect to for it."""

    url: str
    host: str
    port: int
    address: str

    def pinned_url(self) -> str:
        """The URL with its host replaced by the checked address (Host and SNI keep the name)."""
        parts = urlsplit(self.url)
        host = f"[{self.address}]" if ":" in self.address else self.address
        return parts._replace(netloc=f"{host}:{self.port}").geturl()

    @property
    def host_header(self) -> str:
        default = 443 if urlsplit(self.url).scheme == "https" else 80
        host = f"[{self.host}]" if ":" in self.host else self.host
        return host if self.port == default else f"{host}:{self.port}"


def embedded_ipv4(ip: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    """The IPv4 addresses an IPv6 address stands for (mapped, compatible, NAT64, 6to4, Teredo)."""
    found: list[ipaddress.IPv4Address] = []
    if ip.ipv4_mapped is not None:
        found.append(ip.ipv4_mapped)
    if ip.sixtofour is not None:
        found.append(ip.sixtofour)
    if ip.teredo is not None:
        server, client = ip.teredo
        found += [server, client]
    if ip in _NAT64 or ip in _IPV4_COMPATIBLE:
        found.append(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
    return found


def is_public(address: str) -> bool:
    try:
        ip: IPAddress = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    candidates: list[IPAddress] = [ip]
    if isinstance(ip, ipaddress.IPv6Address):
        if ip in _NAT64_LOCAL:
            return False  # a local NAT64 prefix leads into some network's own IPv4 space
        inner: list[IPAddress] = [*embedded_ipv4(ip)]
        # The wrapper itself says nothing once unwrapped (NAT64 is "global" to ipaddress).
        candidates = list(inner) if inner else [ip]
    return all(c.is_global and not c.is_multicast for c in candidates)


async def resolve(host: str, port: int) -> list[str]:
    loop = asyncio.get_running_loop()
    try:
        async with asyncio.timeout(_RESOLVE_TIMEOUT_S):
            infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError, TimeoutError) as exc:
        raise UnsafeUrl(f"host {host!r} does not resolve") from exc
    return sorted({str(info[4][0]) for info in infos})


def _host_and_port(url: str, allow_private: bool) -> tuple[str, int]:
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
    if parts.username or parts.password or "@" in parts.netloc:
        raise UnsafeUrl("the URL must not carry credentials")
    return parts.hostname, port or (443 if parts.scheme == "https" else 80)


async def check_url(
    url: str, *, allow_private: bool, allowed_ports: Sequence[int] = (443,)
) -> Target:
    """The checked target (UnsafeUrl unless `url` may receive webhooks)."""
    host, port = _host_and_port(url, allow_private)
    if not allow_private and port not in allowed_ports:
        ports = ", ".join(map(str, allowed_ports))
        raise UnsafeUrl(f"the URL's port must be one of {ports} (PQ_WEBHOOKS_ALLOWED_PORTS)")
    addresses = await resolve(host, port)
    if not addresses:
        raise UnsafeUrl(f"host {host!r} does not resolve")
    if not allow_private:
        blocked = [a for a in addresses if not is_public(a)]
        if blocked:
            raise UnsafeUrl(f"{host} resolves to a non-public address ({blocked[0]})")
    return Target(url=url, host=host, port=port, address=addresses[0].split("%", 1)[0])
