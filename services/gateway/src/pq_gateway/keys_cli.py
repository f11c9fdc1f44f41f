"""`pq keys create|list|revoke`: manage gateway API keys in the PQ_API_KEYS bucket.

Uses PQ_NATS_URL (default: the embedded stack's) and PQ_API_KEY_PEPPER, which must
match the gateways'. A created key is printed once; only its hash is stored.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from datetime import UTC, datetime

from pq_runtime.cli import Subcommand

from .auth.key_input import key_id, key_name, key_scopes
from .auth.keys import ApiKeyRecord, Scope
from .auth.management import create_key, revoke_key
from .settings import GatewaySettings


def _add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--nats-url", help="NATS holding the keys (default: PQ_NATS_URL)")
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    create = actions.add_parser("create", help="create a key and print it (shown only once)")
    create.add_argument("--name", required=True, help="who or what uses the key")
    create.add_argument(
        "--scopes",
        default="read",
        help="comma-separated: read, write, admin (admin grants write and read; default read)",
    )
    listing = actions.add_parser("list", help="list keys (ids, names, scopes, never secrets)")
    listing.add_argument("--json", action="store_true", help="one JSON object per line")
    revoke = actions.add_parser("revoke", help="revoke a key by its id")
    revoke.add_argument("key_id")


def _checked(args: argparse.Namespace) -> str | None:
    """Validate and normalise the arguments in place; the error to print, else None."""
    try:
        if args.action == "create":
            args.name = key_name(args.name)
            args.scopes = key_scopes(args.scopes)
        elif args.action == "revoke":
            args.key_id = key_id(args.key_id)
    except ValueError as exc:
        return f"pq keys {args.action}: {exc}"
    return None


def _when(ms: int | None) -> str:
    return "-" if ms is None else datetime.fromtimestamp(ms / 1000, tz=UTC).isoformat()


def _line(r: ApiKeyRecord) -> str:
    state = "active" if r.active else f"revoked {_when(r.revoked_at)}"
    scopes = ",".join(r.scopes)
    name = r.name if r.name.isprintable() else repr(r.name)
    return f"{r.key_id}  {scopes:<16} {name:<24} created {_when(r.created_at)}  {state}"


async def _run_async(args: argparse.Namespace) -> int:
    # Here, not at the top: every `pq` command loads this module to build its parser, and
    # the NATS client is a third of a second of that.
    from .auth.connection import key_store_at

    settings = GatewaySettings()
    url = args.nats_url or settings.nats_url
    async with key_store_at(
        url, replicas=settings.kv_replicas, identity=settings.nats_identity
    ) as store:
        if args.action == "create":
            scopes: tuple[Scope, ...] = args.scopes
            record, key = await create_key(
                store, name=args.name, scopes=scopes, pepper=settings.api_key_pepper
            )
            print(f"created key {record.key_id} ({','.join(scopes)}) for {record.name}:")
            print(key)
            return 0
        if args.action == "list":
            for r in await store.all():
                print(json.dumps(r.to_payload() | {"key_hash": None}) if args.json else _line(r))
            return 0
        revoked = await revoke_key(store, args.key_id)
        if revoked is None:
            print(f"no key {args.key_id}")
            return 1
        print(
            f"revoked {revoked.key_id} ({revoked.name}); gateways stop accepting it within "
            f"{settings.api_key_cache_s:g} s"
        )
        return 0


def _run(args: argparse.Namespace) -> int:
    if (error := _checked(args)) is not None:
        print(error, file=sys.stderr)
        return 2
    try:
        return asyncio.run(_run_async(args))
    except (OSError, TimeoutError) as exc:
        print(f"cannot reach NATS: {exc!r} (is the stack up? set PQ_NATS_URL)")
        return 2


KEYS_COMMAND = Subcommand(
    name="keys",
    help="create, list and revoke gateway API keys",
    add_arguments=_add_arguments,
    run=_run,
)
