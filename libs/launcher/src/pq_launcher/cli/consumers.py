"""`pq consumers add|list|remove`: read-only NATS identities for other systems.

A consumer may read PQ_BARS, PQ_QUOTES and `pq.live.>` and create durable consumers of
its own; nothing else (pq_runtime.bus_access). Changes reach a running stack at once
(auth.conf rewritten, nats-server reloaded), without a restart.
"""

from __future__ import annotations

import argparse
import json

from pq_launcher.bus_auth import ConsumerNameError
from pq_launcher.cli.registry import Subcommand
from pq_launcher.nats_reload import ReloadFailed, reload_running_nats
from pq_launcher.settings import LauncherSettings
from pq_launcher.stack_nats import bus_auth, nats_configs


def _add_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    add = actions.add_parser("add", help="create (or show again) a consumer's credentials")
    add.add_argument("name", help="the consumer's name: a-z 0-9 _ -")
    add.add_argument("--json", action="store_true", help='print {"url","user","password","ca"}')
    listing = actions.add_parser("list", help="the consumers' names")
    listing.add_argument("--json", action="store_true", help="print a JSON list")
    remove = actions.add_parser("remove", help="revoke a consumer (its connections close)")
    remove.add_argument("name")


def _apply(settings: LauncherSettings) -> None:
    for config in nats_configs(settings):  # every node of a cluster
        config.write_auth()
    try:
        reload_running_nats(settings)
    except ReloadFailed as failure:
        raise SystemExit(f"pq consumers: {failure}") from None


def _run(args: argparse.Namespace) -> int:
    settings = LauncherSettings()
    if settings.nats_url is not None:
        print(
            "pq consumers manages the embedded NATS; PQ_NATS_URL points elsewhere: add the "
            "identity to that server's configuration (docs/consumers.md, Kubernetes)"
        )
        return 2
    registry = bus_auth(settings).consumers
    if args.action == "list":
        names = sorted(registry.passwords())
        print(json.dumps(names) if args.json else "\n".join(names))
        return 0
    if args.action == "remove":
        if not registry.remove(args.name):
            print(f"no consumer {args.name!r}")
            return 1
        _apply(settings)
        print(f"removed consumer {args.name!r}")
        return 0
    try:
        password, _ = registry.add(args.name)
    except ConsumerNameError as error:
        print(f"pq consumers: {error}")
        return 2
    _apply(settings)
    url = ",".join(config.url for config in nats_configs(settings))
    grant = {"url": url, "user": args.name, "password": password, "ca": None}
    if args.json:
        print(json.dumps(grant))
    else:
        print("\n".join(f"{key:<9} {value}" for key, value in grant.items()))
    return 0


CONSUMERS = Subcommand(
    name="consumers",
    help="credentials for other systems to read the bus (PQ_BARS, PQ_QUOTES, pq.live.>)",
    add_arguments=_add_arguments,
    run=_run,
)
