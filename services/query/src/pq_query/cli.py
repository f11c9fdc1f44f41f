"""`pq projections rebuild bars`: ask the running query service to rebuild its bars model.

The service does the work (handlers/rebuild/rebuilder.py) so that it swaps the new model in
while it keeps serving. The `pq` command puts the local stack's query URL in
PQ_QUERY_URL (stack.json) before it runs this.
"""

from __future__ import annotations

import argparse
import json
import os

import httpx

from pq_runtime.cli import Subcommand

DEFAULT_URL = "http://127.0.0.1:18091"
REBUILD_PATH = "/internal/projections/{model}/rebuild"


def query_url() -> str:
    """PQ_QUERY_URL (the first of several replicas), else the embedded default."""
    urls = [u.strip() for u in os.environ.get("PQ_QUERY_URL", "").split(",") if u.strip()]
    return urls[0] if urls else DEFAULT_URL


def _add_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    rebuild = actions.add_parser("rebuild", help="replay the model's stream into a fresh model")
    rebuild.add_argument("model", choices=["bars"], help="the read model to rebuild")
    rebuild.add_argument("--url", default=None, help="query service URL (default: the stack's)")
    rebuild.add_argument("--timeout", type=float, default=3600.0, help="seconds to wait")


def _run(args: argparse.Namespace) -> int:
    url = (args.url or query_url()).rstrip("/") + REBUILD_PATH.format(model=args.model)
    try:
        answer = httpx.post(url, timeout=args.timeout)
    except httpx.HTTPError as exc:
        print(f"cannot reach the query service at {url}: {exc} (is the stack up?)")
        return 1
    if answer.status_code != 200:
        print(f"rebuild failed: {answer.status_code} {answer.text}")
        return 1
    print(json.dumps(answer.json(), indent=2))
    return 0


projections_command = Subcommand(
    name="projections",
    help="manage the query service's read models (e.g. `pq projections rebuild bars`)",
    add_arguments=_add_arguments,
    run=_run,
)
