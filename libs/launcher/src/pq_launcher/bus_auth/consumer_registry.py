"""External consumers' identities (`pq consumers`): `<data dir>/nats-consumers.json`, 0600."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .secret_files import new_password, read_json, write_private_json
from .stack_secrets import IDENTITIES

CONSUMERS_FILE = "nats-consumers.json"
_NAME = re.compile(r"[a-z0-9][a-z0-9_-]{0,62}")


class ConsumerNameError(ValueError):
    """A consumer name NATS or this stack cannot take."""


def check_consumer_name(name: str) -> str:
    if not _NAME.fullmatch(name):
        raise ConsumerNameError(
            f"consumer name {name!r}: use 1-63 of a-z 0-9 _ - (starting with a letter or digit)"
        )
    if name in IDENTITIES:
        raise ConsumerNameError(f"consumer name {name!r} is one of the stack's own identities")
    return name


@dataclass(frozen=True)
class ConsumerRegistry:
    path: Path

    def passwords(self) -> dict[str, str]:
        return {str(k): str(v) for k, v in read_json(self.path).items()}

    def add(self, name: str) -> tuple[str, bool]:
        """The consumer's password and whether it is new (adding twice returns the same)."""
        current = self.passwords()
        if check_consumer_name(name) in current:
            return current[name], False
        current[name] = new_password()
        write_private_json(self.path, current)
        return current[name], True

    def remove(self, name: str) -> bool:
        current = self.passwords()
        if current.pop(name, None) is None:
            return False
        write_private_json(self.path, current)
        return True
