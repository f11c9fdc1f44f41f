"""The embedded stack's credentials: one NATS password per identity and Redis's, made on
first start in `<data dir>/credentials.json` (0600) and reused on every later start."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pq_runtime.bus_access import ADMIN, SERVICE_ROLES

from .secret_files import new_password, read_json, write_private_json

CREDENTIALS_FILE = "credentials.json"
IDENTITIES = (ADMIN, *(role.name for role in SERVICE_ROLES))


@dataclass(frozen=True)
class StackSecrets:
    nats: dict[str, str]  # identity -> password
    redis: str

    def nats_password(self, identity: str) -> str:
        return self.nats[identity]


def load_or_create_secrets(path: Path) -> StackSecrets:
    """Read the file, adding any identity it lacks (a newer version may add one)."""
    raw = read_json(path)
    nats = {str(k): str(v) for k, v in raw.get("nats", {}).items()}
    redis = str(raw.get("redis") or "")
    changed = not redis or any(identity not in nats for identity in IDENTITIES)
    for identity in IDENTITIES:
        nats.setdefault(identity, new_password())
    redis = redis or new_password()
    if changed:
        write_private_json(path, {"nats": nats, "redis": redis})
    return StackSecrets(nats=nats, redis=redis)
