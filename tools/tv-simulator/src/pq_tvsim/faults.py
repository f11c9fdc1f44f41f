"""Injectable faults, changed at run time by flags, env or `POST /control/faults`."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any


class InvalidFaults(ValueError):
    """A control request named an unknown fault or gave a value of the wrong type."""


@dataclass(slots=True)
class Faults:
    drop_every_s: float = 0.0  # > 0: abort every open connection this often
    malformed_rate: float = 0.0  # probability of a garbage message before each real one
    reply_delay_s: float = 0.0  # wait before answering each client request
    stop_heartbeats: bool = False  # keep sending data but no ~h~ pings
    silence: bool = False  # send nothing at all (a stalled connection); the socket stays open
    reject_symbols: list[str] = field(default_factory=list)  # answered like unknown symbols
    reject_connections: int = 0  # refuse this many upcoming upgrades with HTTP 429 (-1: all)
    critical_error_methods: list[str] = field(default_factory=list)  # answer critical_error

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def update(self, changes: dict[str, Any]) -> None:
        """Apply the given fields only; reject unknown names and wrong types before changing any."""
        known = {f.name: f for f in fields(self)}
        checked: dict[str, Any] = {}
        for name, value in changes.items():
            if name not in known:
                raise InvalidFaults(f"unknown fault {name!r}; known: {sorted(known)}")
            checked[name] = _coerce(name, getattr(self, name), value)
        for name, value in checked.items():
            setattr(self, name, value)

    def take_rejected_connection(self) -> bool:
        if self.reject_connections == 0:
            return False
        if self.reject_connections > 0:
            self.reject_connections -= 1
        return True


def _coerce(name: str, current: object, value: object) -> object:
    if isinstance(current, bool):
        if not isinstance(value, bool):
            raise InvalidFaults(f"{name} must be true or false")
        return value
    if isinstance(current, list):
        if not isinstance(value, list) or not all(isinstance(x, str) for x in value):
            raise InvalidFaults(f"{name} must be a list of strings")
        return list(value)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidFaults(f"{name} must be a number")
    return int(value) if isinstance(current, int) else float(value)
