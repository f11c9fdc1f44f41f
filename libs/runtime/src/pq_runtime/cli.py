"""The shape of a `pq` subcommand, shared by every package that adds one.

It lives in the runtime, not the launcher, so a service (or its image) can offer
`pq <name>` without depending on the launcher's embedded servers. The registry
accepts any object of this shape, so a client package that must not depend on
the runtime (the `pocketquant` SDK) can declare its own.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol, runtime_checkable


@runtime_checkable
class SubcommandLike(Protocol):
    @property
    def name(self) -> str: ...
    @property
    def help(self) -> str: ...
    @property
    def add_arguments(self) -> Callable[[argparse.ArgumentParser], None]: ...
    @property
    def run(self) -> Callable[[argparse.Namespace], int]: ...


@dataclass(frozen=True)
class Subcommand:
    name: str
    help: str
    add_arguments: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace], int]
