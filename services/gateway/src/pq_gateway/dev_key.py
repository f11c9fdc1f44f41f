"""`python -m pq_gateway.dev_key PATH`: make sure the embedded stack has a development
admin key, written to PATH (`.pq/dev-api-key`).

`pq up` runs it before it starts the gateway. When PATH holds a key the store still
accepts, nothing changes; otherwise (first run, or the data folder was wiped) a new
admin key is created, written to PATH (mode 0600) and printed.
"""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

from .auth.authenticator import ApiKeyAuthenticator
from .auth.connection import key_store_at
from .auth.keys import Scope
from .auth.management import create_key
from .settings import GatewaySettings


async def ensure_dev_key(existing: str, settings: GatewaySettings) -> str | None:
    """A new admin key, or None when `existing` is a key the store still accepts."""
    pepper = settings.api_key_pepper
    async with key_store_at(
        settings.nats_url, replicas=settings.kv_replicas, identity=settings.nats_identity
    ) as store:
        checker = ApiKeyAuthenticator(store, pepper=pepper, cache_s=0)
        if existing and await checker.authenticate(existing) is not None:
            return None
        name = "development (make up)"
        _, key = await create_key(store, name=name, scopes=(Scope.ADMIN,), pepper=pepper)
    return key


def write_private(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text)


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m pq_gateway.dev_key PATH", file=sys.stderr)
        return 2
    path = Path(argv[0])
    existing = path.read_text(encoding="utf-8").strip() if path.exists() else ""
    settings = GatewaySettings()
    key = asyncio.run(ensure_dev_key(existing, settings))
    if key is None:
        print(f"development API key: in {path}", flush=True)
        return 0
    write_private(path, key + "\n")
    print(f"created a development admin API key (also in {path}):\n\n    {key}\n")
    base = f"http://127.0.0.1:{settings.http_port}"
    print(f'    curl -H "Authorization: Bearer $(cat {path})" {base}/v1/symbols\n', flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
