#!/usr/bin/env python3
"""Create an overlay's secret files with random values (never committed).

    python3 deploy/k8s/make_secrets.py deploy/k8s/overlays/dev
    python3 deploy/k8s/make_secrets.py deploy/k8s/overlays/prod --rotate mongodb-password

Writes <overlay>/secrets/, which .gitignore excludes and the overlay's
secretGenerator reads:
    pq-secrets.env      api-key-pepper, mongodb-password, redis-password (the services)
    nats-identities.env PQ_NATS_PASSWORD_<ROLE>: each service's NATS identity
    mongo-secrets.env   root-username, root-password (MongoDB, mongo-init)
    mongo-keyfile       the replica-set members' shared key
Existing files are kept unless --force (a new environment only: it also
replaces the MongoDB root password and keyfile, which a running replica set
does not pick up). --rotate KEY replaces one value of an .env file and keeps
the rest. Values are hex: safe inside URLs.
A real production cluster would rather sync these from its secret manager
into the same files (or replace the secretGenerator by External Secrets).
"""

from __future__ import annotations

import argparse
import base64
import secrets
import sys
from pathlib import Path

# The services' NATS identities (pq_runtime.bus_access.SERVICE_ROLES; a test keeps them equal).
NATS_ROLES = ("gateway", "ingest-stream", "ingest-history", "bar-builder", "query")


def nats_identities() -> str:
    lines = [
        f"PQ_NATS_PASSWORD_{role.upper().replace('-', '_')}={secrets.token_hex(24)}"
        for role in NATS_ROLES
    ]
    return "\n".join(lines) + "\n"


def secret_files() -> dict[str, str]:
    return {
        "pq-secrets.env": (
            f"api-key-pepper={secrets.token_hex(32)}\nmongodb-password={secrets.token_hex(24)}\n"
            f"redis-password={secrets.token_hex(24)}\n"
        ),
        "nats-identities.env": nats_identities(),
        "mongo-secrets.env": f"root-username=root\nroot-password={secrets.token_hex(24)}\n",
        # mongod wants 6..1024 base64 characters.
        "mongo-keyfile": base64.b64encode(secrets.token_bytes(756)).decode() + "\n",
    }


def rotate(path: Path, key: str, fresh: str) -> None:
    """Replace `key`'s line in the .env file at `path` by its line in `fresh`."""
    new_line = next(line for line in fresh.splitlines() if line.startswith(f"{key}="))
    lines = path.read_text().splitlines()
    if not any(line.startswith(f"{key}=") for line in lines):
        raise SystemExit(f"{key} is not in {path}")
    updated = [new_line if line.startswith(f"{key}=") else line for line in lines]
    path.write_text("\n".join(updated) + "\n")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("overlay", type=Path, help="overlay folder, e.g. deploy/k8s/overlays/dev")
    parser.add_argument("--force", action="store_true", help="overwrite existing files")
    parser.add_argument(
        "--rotate",
        metavar="KEY",
        action="append",
        default=[],
        help="replace this key's value only (api-key-pepper, mongodb-password)",
    )
    args = parser.parse_args(argv)
    if not (args.overlay / "kustomization.yaml").is_file():
        parser.error(f"{args.overlay} is not a kustomize overlay")
    target = args.overlay / "secrets"
    target.mkdir(mode=0o700, exist_ok=True)
    fresh = secret_files()
    if args.rotate:
        for key in args.rotate:
            names = [n for n, c in fresh.items() if n.endswith(".env") and f"\n{key}=" in f"\n{c}"]
            if not names:
                parser.error(f"unknown key {key}")
            rotate(target / names[0], key, fresh[names[0]])
            print(f"rotated {key} in {target / names[0]}")
        return 0
    for name, content in fresh.items():
        path = target / name
        if path.exists() and not args.force:
            print(f"kept    {path}")
            continue
        path.write_text(content)
        path.chmod(0o600)
        print(f"wrote   {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
