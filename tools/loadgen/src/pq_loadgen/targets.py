"""Which base URLs the load generator may hit without an explicit opt-in.

Only loopback by default: a fixed-rate generator aimed at a shared or production host by
a typo is a denial-of-service attack on it (and on its rate limiter's other users).
Remote targets need `--allow-remote`, i.e. a deliberate decision.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost"})


class TargetRefused(ValueError):
    """The base URL is not a loopback target and remote targets were not allowed."""


def host_of(base_url: str) -> str:
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise TargetRefused(f"base URL {base_url!r} must be http(s)://host[:port]")
    return parts.hostname


def is_loopback(host: str) -> bool:
    """127.0.0.0/8, ::1 and localhost names. Other names are not resolved: a name that
    resolves to loopback today may not tomorrow, so only literal loopback counts."""
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_target(base_url: str, *, allow_remote: bool) -> str:
    """The base URL without a trailing slash, or `TargetRefused`."""
    host = host_of(base_url)
    if not allow_remote and not is_loopback(host):
        raise TargetRefused(
            f"refusing non-loopback target {host!r}: pass --allow-remote if you mean to load it"
        )
    return base_url.rstrip("/")
