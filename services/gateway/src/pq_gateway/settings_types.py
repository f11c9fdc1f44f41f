"""Setting types parsed from comma-separated environment values."""

from __future__ import annotations

import ipaddress
from typing import Annotated, Any

from pydantic import BeforeValidator, PlainSerializer
from pydantic_settings import NoDecode

# Ten years of 1-minute bars of a symbol that trades around the clock (365.25-day years).
SYNC_MAX_BARS_DEFAULT = 5_259_600

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def _items(value: Any) -> list[str]:
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    return [str(v) for v in value]


def parse_networks(value: Any) -> tuple[Network, ...]:
    try:
        return tuple(ipaddress.ip_network(item, strict=False) for item in _items(value))
    except ValueError as exc:
        raise ValueError(f"give CIDRs separated by commas, e.g. 10.0.0.0/8 ({exc})") from None


def parse_ports(value: Any) -> tuple[int, ...]:
    try:
        ports = tuple(int(item) for item in _items(value))
    except ValueError:
        raise ValueError(f"give ports separated by commas, e.g. 443,8443 (got {value!r})") from None
    if not ports or any(not 1 <= p <= 65535 for p in ports):
        raise ValueError(f"give at least one port in 1..65535 (got {value!r})")
    return ports


def _joined(values: tuple[Any, ...]) -> str:
    return ",".join(map(str, values))


# NoDecode: pydantic-settings would otherwise read the env value as JSON.
TrustedProxies = Annotated[
    tuple[Network, ...], NoDecode, BeforeValidator(parse_networks), PlainSerializer(_joined)
]
PortList = Annotated[
    tuple[int, ...], NoDecode, BeforeValidator(parse_ports), PlainSerializer(_joined)
]
