#!/usr/bin/env python3
"""Write compose's `.env` (never committed) with random secrets, keeping existing values.

    python3 deploy/compose/make_env.py            # from the repository root

PQ_API_KEY_PEPPER, one NATS password per service identity (PQ_NATS_PASSWORD_<ROLE>,
read by nats-server's auth.conf and by that service) and PQ_REDIS_PASSWORD. Values are hex.
"""

from __future__ import annotations

import os
import secrets
import sys
from pathlib import Path

# The services' NATS identities (pq_runtime.bus_access.SERVICE_ROLES; a test keeps them equal).
NATS_ROLES = ("gateway", "ingest-stream", "ingest-history", "bar-builder", "query")


def wanted() -> dict[str, str]:
    values = {
        "PQ_API_KEY_PEPPER": secrets.token_hex(32),
        "PQ_REDIS_PASSWORD": secrets.token_hex(24),
    }
    for role in NATS_ROLES:
        values[f"PQ_NATS_PASSWORD_{role.upper().replace('-', '_')}"] = secrets.token_hex(24)
    return values


def main(path: Path) -> int:
    current = path.read_text().splitlines() if path.exists() else []
    have = {line.split("=", 1)[0] for line in current if "=" in line}
    added = [f"{key}={value}" for key, value in wanted().items() if key not in have]
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as out:
        out.write("\n".join([*current, *added]) + "\n")
    path.chmod(0o600)
    print(f"{path}: {len(added)} value(s) added, {len(have)} kept")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(".env")))
