"""The instance id: names this instance's leases and its relay's outbox claims."""

from __future__ import annotations

import os
import re
import socket
import uuid

_UNSAFE = re.compile(r"[^-_=A-Za-z0-9]")


def instance_id(configured: str, http_port: int) -> str:
    """PQ_INSTANCE_ID, else `<host>-<http port>`: stable across restarts (a restarted
    instance adopts its own leases and outbox claims at once), unique per host because
    two instances cannot share a port. Port 0 (tests): host, pid and a random suffix."""
    if configured:
        raw = configured
    elif http_port:
        raw = f"{socket.gethostname()}-{http_port}"
    else:
        raw = f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:6]}"
    return _UNSAFE.sub("_", raw)
