"""The client's address: the TCP peer, or, when the peer is a trusted proxy (the Ingress,
`PQ_TRUSTED_PROXIES`), the last address in `X-Forwarded-For` that no trusted proxy
added. From anyone else the header is ignored: a client cannot choose its own address
(and so its own failed-authentication budget, or someone else's)."""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence

from starlette.types import Scope

from ..settings_types import Network

_FORWARDED_FOR = b"x-forwarded-for"


def _trusted(address: str, proxies: Sequence[Network]) -> bool:
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return any(ip.version == net.version and ip in net for net in proxies)


def client_address(scope: Scope, proxies: Sequence[Network] = ()) -> str:
    client = scope.get("client")
    peer = str(client[0]) if client else "unknown"
    if not proxies or not _trusted(peer, proxies):
        return peer
    hops: list[str] = []
    for name, value in scope["headers"]:
        if name == _FORWARDED_FOR:
            hops.extend(h.strip() for h in value.decode("latin-1").split(","))
    # Right to left: each trusted proxy appended the address it received from.
    for hop in reversed(hops):
        if not hop:
            continue
        if not _trusted(hop, proxies):
            try:
                return str(ipaddress.ip_address(hop))
            except ValueError:
                return peer  # garbage from before the first trusted proxy: use what we know
    return peer
