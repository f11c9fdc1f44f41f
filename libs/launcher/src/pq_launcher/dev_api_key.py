"""The embedded stack's development API key: before the gateway starts, make sure an
admin key exists and is in `<data dir>/dev-api-key` (.pq/dev-api-key).

The work is the gateway's own (`python -m pq_gateway.dev_key`), run as a subprocess
with the gateway's environment so the launcher imports no service code; its output
(the new key, on first `make up`) goes to this console, not to the gateway's log.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import subprocess
import sys

from pq_launcher.settings import LauncherSettings
from pq_launcher.spec import ProcessSpec

log = logging.getLogger("pq.launcher")
_TIMEOUT_S = 30.0


def dev_api_key_path(settings: LauncherSettings) -> str:
    return str(settings.data_path / "dev-api-key")


def with_dev_api_key(spec: ProcessSpec, settings: LauncherSettings) -> ProcessSpec:
    """`spec` (the gateway's) that ensures the development key before every start."""
    previous = spec.prepare

    def prepare() -> None:
        if previous is not None:
            previous()
        argv = [sys.executable, "-m", "pq_gateway.dev_key", dev_api_key_path(settings)]
        try:
            done = subprocess.run(argv, env={**os.environ, **spec.env}, timeout=_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            log.warning("no development API key: NATS did not answer in %.0f s", _TIMEOUT_S)
            return
        if done.returncode != 0:  # the gateway still starts; `pq keys create` makes one
            log.warning("no development API key (exit %s); use `pq keys create`", done.returncode)

    return dataclasses.replace(spec, prepare=prepare)
