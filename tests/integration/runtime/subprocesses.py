"""Run a worker module as a child process and wait for it to die (tests only)."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


async def run_until_killed(module: str, env: dict[str, str], within_s: float = 60.0) -> int:
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", module, cwd=ROOT, env={**os.environ, **env}
    )
    try:
        return await asyncio.wait_for(proc.wait(), within_s)
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
