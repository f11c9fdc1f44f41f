"""Other packages' `pq` commands (`pq keys`, `pq projections`, ...) act on the local stack
as its operator: when no identity is configured, they get the admin identity and Redis
password of the stack in PQ_DATA_DIR (.pq), and its NATS, Redis and query URLs from
stack.json, through the environment their settings read. So they never import the
launcher (a service's image does not carry it)."""

from __future__ import annotations

import os
from collections.abc import MutableMapping

from pq_launcher.bus_auth import BusAuth
from pq_launcher.settings import LauncherSettings
from pq_launcher.stack_file import read_stack_file
from pq_runtime.bus_access import ADMIN


def adopt_local_identity(env: MutableMapping[str, str] = os.environ) -> None:
    settings = LauncherSettings()
    record = read_stack_file(settings.stack_file)
    for key in ("nats_url", "redis_url", "query_url"):
        if record is not None and key in record.endpoints:
            env.setdefault(f"PQ_{key.upper()}", record.endpoints[key])
    auth = BusAuth(settings.data_path)
    if not auth.secrets_path.is_file():
        return  # no local stack was ever started here
    secrets = auth.secrets()
    if settings.nats_url is None and "PQ_NATS_USER" not in env:
        env["PQ_NATS_USER"] = ADMIN
        env["PQ_NATS_PASSWORD"] = secrets.nats_password(ADMIN)
    if settings.redis_url is None and "PQ_REDIS_PASSWORD" not in env:
        env["PQ_REDIS_PASSWORD"] = secrets.redis
